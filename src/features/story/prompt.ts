import type { ConversationRef } from '../../engine/conversation.js';
import type { PromptSource } from '../../engine/prompt.js';
import { storedState } from './state.js';

/**
 * Whether a story here may go beyond all-ages: in a channel marked age-restricted unless the
 * story asked for all-ages, or in a DM / the terminal when the story asked for mature.
 * Everywhere else (any other channel; Slack channels unless the adapter marks them) it is all-ages.
 */
export function matureAllowed(ref: ConversationRef, rating?: string): boolean {
  if (ref.ageRestricted) return rating !== 'all-ages';
  return !!ref.dm && rating === 'mature';
}

/** What a story adds to the narrator's prompt: the content rating, and the premise. */
export const storyPrompt: PromptSource = ({ persona, meta, ref }) => {
  if (persona.mode !== 'story') return undefined;
  const story = storedState(meta);
  const rules: string[] = [];
  if (!matureAllowed(ref, story?.rating)) {
    const why = story?.rating === 'all-ages' ? 'this story is rated all-ages' : 'this channel is not age-restricted';
    rules.push(`Content rating: ${why}, so keep the story suitable for all ages (no graphic violence, sexual content or strong language).`);
  }
  return { rules, data: story?.premise ? [{ label: "The story's premise", text: story.premise }] : [] };
};
