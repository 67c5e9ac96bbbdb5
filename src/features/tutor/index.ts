import type { Feature } from '../../engine/feature.js';
import { tutorTurnHook } from './hook.js';
import { levelName } from './names.js';
import { tutorPrompt } from './prompt.js';
import { tutorSentences } from './sentences.js';
import { tutorState } from './state.js';

/**
 * Socratic tutoring: a hint ladder, quizzes graded at the end, and each learner's progress kept
 * across conversations. Its settings are meta.settings.tutor (state.ts).
 */
export const tutorFeature: Feature = {
  name: 'tutor',
  turnHooks: [tutorTurnHook],
  prompt: tutorPrompt,
  sentences: tutorSentences,
  starters: [{ ...tutorSentences.en.starter, words: 'tutor.starter' }],
  describe(meta, t) {
    const tutor = tutorState(meta);
    if (!tutor.subject) return [];
    return [
      tutor.level
        ? t('tutor.describe.subjectLevel', { subject: tutor.subject, level: levelName(tutor.level) })
        : t('tutor.describe.subject', { subject: tutor.subject }),
    ];
  },
};
