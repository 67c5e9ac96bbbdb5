import type { PromptSource } from '../../engine/prompt.js';
import { tutorState } from './state.js';

/** What a tutoring session adds to the tutor's prompt: its subject and the learner's level. */
export const tutorPrompt: PromptSource = ({ persona, meta }) => {
  const tutor = tutorState(meta);
  if (persona.mode !== 'tutor' || !tutor.subject) return undefined;
  return { data: [{ label: "This session's subject", text: `${tutor.subject}.${tutor.level ? ` The learner's level: ${tutor.level}.` : ''}` }] };
};
