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
}

/** The persona's prompt plus what this conversation adds (story rating, tutoring subject). */
export function systemPrompt(persona: Persona, meta: ConversationMeta, ref: ConversationRef, instruction?: string): string {
  const parts = [persona.prompt];
  if (persona.mode === 'story' && !ref.ageRestricted) {
    parts.push('Content rating: this channel is not age-restricted, so keep the story suitable for all ages (no graphic violence, sexual content or strong language).');
  }
  const story = meta.settings.story as StorySettings | undefined;
  if (persona.mode === 'story' && story?.premise) parts.push(`The story's premise: ${story.premise}`);
  const tutor = meta.settings.tutor as TutorSettings | undefined;
  if (persona.mode === 'tutor' && tutor?.subject) {
    parts.push(`This session's subject: ${tutor.subject}.${tutor.level ? ` The learner's level: ${tutor.level}.` : ''}`);
  }
  if (ref.dm) parts.push('This is a private conversation with one person.');
  if (instruction) parts.push(instruction);
  return parts.join('\n\n');
}
