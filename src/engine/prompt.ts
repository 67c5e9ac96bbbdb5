import type { ConversationMeta } from '../memory/types.js';
import type { Persona } from '../personas/schema.js';
import type { ConversationRef } from './conversation.js';

export interface TutorSettings {
  subject: string;
  level?: string;
}

export interface StorySettings {
  premise: string;
  starterId: string;
  starterName: string;
  startedAt: number;
  /** Chosen with `story new rating:`; `mature` is only accepted in age-restricted channels and DMs. */
  rating?: 'all-ages' | 'mature';
}

/**
 * Whether a story here may go beyond all-ages: in a channel marked age-restricted unless the
 * story asked for all-ages, or in a DM / the terminal when the story asked for mature.
 * Everywhere else (any other channel; Slack channels unless the adapter marks them) it is all-ages.
 */
export function matureAllowed(ref: ConversationRef, rating?: string): boolean {
  if (ref.ageRestricted) return rating !== 'all-ages';
  return !!ref.dm && rating === 'mature';
}

/** The persona's prompt plus what this conversation adds (story rating, tutoring subject). */
export function systemPrompt(persona: Persona, meta: ConversationMeta, ref: ConversationRef, instruction?: string): string {
  const parts = [persona.prompt];
  const story = meta.settings.story as StorySettings | undefined;
  if (persona.mode === 'story' && !matureAllowed(ref, story?.rating)) {
    const why = story?.rating === 'all-ages' ? 'this story is rated all-ages' : 'this channel is not age-restricted';
    parts.push(`Content rating: ${why}, so keep the story suitable for all ages (no graphic violence, sexual content or strong language).`);
  }
  if (persona.mode === 'story' && story?.premise) parts.push(`The story's premise: ${story.premise}`);
  const tutor = meta.settings.tutor as TutorSettings | undefined;
  if (persona.mode === 'tutor' && tutor?.subject) {
    parts.push(`This session's subject: ${tutor.subject}.${tutor.level ? ` The learner's level: ${tutor.level}.` : ''}`);
  }
  if (ref.dm) parts.push('This is a private conversation with one person.');
  if (instruction) parts.push(instruction);
  return parts.join('\n\n');
}
