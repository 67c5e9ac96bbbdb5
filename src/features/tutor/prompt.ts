import type { PromptSource } from '../../engine/prompt.js';
import { tutorState } from './state.js';

/** Label of the subject's data block (the learner wrote it). */
export const SUBJECT_LABEL = "This session's subject";

/** What a tutoring session adds to the tutor's prompt: the learner's level (one of Muse's), and the subject they wrote, as data. */
export const tutorPrompt: PromptSource = ({ persona, meta }) => {
  const tutor = tutorState(meta);
  if (persona.mode !== 'tutor' || !tutor.subject) return undefined;
  return { rules: tutor.level ? [`The learner's level: ${tutor.level}.`] : [], data: [{ label: SUBJECT_LABEL, text: tutor.subject }] };
};
