import type { Feature } from '../../engine/feature.js';
import { tutorTurnHook } from './hook.js';
import { tutorPrompt } from './prompt.js';
import { tutorState } from './state.js';

/**
 * Socratic tutoring: a hint ladder, quizzes graded at the end, and each learner's progress kept
 * across conversations. Its settings are meta.settings.tutor (state.ts).
 */
export const tutorFeature: Feature = {
  name: 'tutor',
  turnHooks: [tutorTurnHook],
  prompt: tutorPrompt,
  starters: [{ title: 'Teach me something', message: '/tutor start how fractions work level:beginner' }],
  describe(meta) {
    const tutor = tutorState(meta);
    return tutor.subject ? [`Tutoring: ${tutor.subject}${tutor.level ? ` (${tutor.level})` : ''}`] : [];
  },
};
