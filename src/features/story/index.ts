import type { Feature } from '../../engine/feature.js';
import { storyTurnHook } from './hook.js';
import { storyJobs } from './jobs.js';
import { matureAllowed, storyPrompt } from './prompt.js';
import { readState, storedState } from './state.js';
import { forgetArchives } from './archive.js';
import { storySentences } from './sentences.js';

/**
 * Interactive stories told with a whole channel: beats with choices, votes and action rounds
 * on timed windows, versions, recap and export. Its settings are meta.settings.story (state.ts).
 */
export const storyFeature: Feature = {
  name: 'story',
  sentences: storySentences,
  turnHooks: [storyTurnHook],
  prompt: storyPrompt,
  jobs: storyJobs,
  starters: [{ ...storySentences.en.starter, words: 'story.starter' }],
  // What moderation blocks here: the same rule as the narrator's prompt (mature only where allowed).
  rating: (ref, meta) => (matureAllowed(ref, storedState(meta)?.rating) ? 'mature' : 'all-ages'),
  describe(meta, t) {
    const story = storedState(meta);
    if (!story?.premise) return [];
    const cast = story.cast ?? [];
    return [
      t('story.describe.story', { premise: story.premise }),
      ...(cast.length ? [t('story.describe.cast', { names: cast.map((m) => m.name).join(t('story.describe.nameSep')) })] : []),
      ...(story.note ? [t('story.describe.note', { note: story.note })] : []),
    ];
  },
  // The story's state is in the meta; its versions are records (this story's and earlier ones').
  forget: (session) => forgetArchives(session, readState(session.meta)),
};
