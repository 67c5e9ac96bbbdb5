import type { TurnHook } from '../../engine/feature.js';
import { lessonTurn } from './lesson.js';
import { answerQuiz } from './quiz.js';
import { tutorState } from './state.js';

/**
 * Claims plain messages while the conversation's persona is a tutor: the answer to the current
 * quiz question when a quiz runs, else a lesson turn on the hint ladder. Other modes pass.
 */
export const tutorTurnHook: TurnHook = (session, text) => {
  let mode: string;
  try {
    mode = session.persona().mode;
  } catch {
    return undefined;
  }
  if (mode !== 'tutor') return undefined;
  return tutorState(session.meta).quiz ? answerQuiz(session, text) : lessonTurn(session, text);
};
