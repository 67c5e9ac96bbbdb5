import type { Feature } from '../../engine/feature.js';
import { storyTurnHook } from './hook.js';
import { storyJobs } from './jobs.js';
import { matureAllowed, storyPrompt } from './prompt.js';
import { readState, storedState } from './state.js';
import { forgetArchives } from './archive.js';

/**
 * Interactive stories told with a whole channel: beats with choices, votes and action rounds
 * on timed windows, versions, recap and export. Its settings are meta.settings.story (state.ts).
 */
export const storyFeature: Feature = {
  name: 'story',
  turnHooks: [storyTurnHook],
  prompt: storyPrompt,
  jobs: storyJobs,
  starters: [{ title: 'Tell me a story', message: '/story new a lighthouse keeper finds a door in the sea' }],
  // What moderation blocks here: the same rule as the narrator's prompt (mature only where allowed).
  rating: (ref, meta) => (matureAllowed(ref, storedState(meta)?.rating) ? 'mature' : 'all-ages'),
  describe(meta) {
    const story = storedState(meta);
    if (!story?.premise) return [];
    const cast = story.cast ?? [];
    return [
      `Story: ${story.premise}`,
      ...(cast.length ? [`Cast: ${cast.map((m) => m.name).join(', ')}`] : []),
      ...(story.note ? [`Author’s note: ${story.note}`] : []),
    ];
  },
  // The story's state is in the meta; its versions are records (this story's and earlier ones').
  forget: (session) => forgetArchives(session, readState(session.meta)),
};
