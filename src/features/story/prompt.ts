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

/** What a story adds to the narrator's prompt: the content rating, the premise, the cast and, last, the author's note. */
export const storyPrompt: PromptSource = ({ persona, meta, ref }) => {
  if (persona.mode !== 'story') return undefined;
  const story = storedState(meta);
  const rules: string[] = [];
  if (!matureAllowed(ref, story?.rating)) {
    const why = story?.rating === 'all-ages' ? 'this story is rated all-ages' : 'this channel is not age-restricted';
    rules.push(`Content rating: ${why}, so keep the story suitable for all ages (no graphic violence, sexual content or strong language).`);
  }
  const data = story?.premise ? [{ label: "The story's premise", text: story.premise }] : [];
  const cast = story?.cast ?? [];
  if (cast.length) {
    rules.push(CAST_RULE);
    const voices = cast.map((m) => `${m.name}${m.voice ? `: ${m.voice}` : ''}`).join('\n');
    data.push({ label: "The story's cast (the characters who speak as themselves)", text: voices });
  }
  const late = story?.note ? [{ label: "The author's note (what the players want the story to lean toward)", text: story.note }] : [];
  return { rules, data, late };
};

/**
 * How the narrator writes a cast member's line, which Muse posts under the character's name
 * (cast-lines.ts). Muse's own words only: the names are people's text, so they stay in the data.
 */
export const CAST_RULE =
  'When a character of the cast (listed in the data) speaks, write their words on a line of their own: the name as listed, a colon, and the words in double quotes, for example Name: "Welcome, traveller." ' +
  'Only the cast speaks this way; everything else is narration.';
