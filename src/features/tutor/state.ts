import type { ConversationMeta } from '../../memory/types.js';
import type { LanguageCode } from './language.js';

/** Where the learner is on the hint ladder for the problem they are working on. */
export interface ProblemState {
  /** Learner messages on this problem (acknowledgements like "ok" do not count). */
  steps: number;
  /** Of those, the ones that were attempts at an answer. */
  attempts: number;
  /** The highest rung used so far (0 ask what they know … 4 full worked answer allowed). */
  rung: number;
  /** The full answer was allowed: the next message starts a new problem. */
  revealed?: boolean;
}

export interface QuizQuestion {
  question: string;
  /** What the question tests, in a few words (used for "review next"). */
  topic?: string;
}

export interface QuizState {
  /** Who started the quiz: only their messages answer it, and the score is theirs (unset on quizzes from before). */
  learnerId?: string;
  learnerName?: string;
  questions: QuizQuestion[];
  /** The learner's answers so far; the current question is answers.length. */
  answers: string[];
  startedAt: number;
}

/**
 * Per-conversation tutoring state, kept in meta.settings.tutor (prompt.ts tells the tutor the
 * subject and level). Cleared by `tutor end`.
 */
export interface TutorState {
  subject?: string;
  level?: string;
  language?: LanguageCode;
  startedAt?: number;
  problem?: ProblemState;
  quiz?: QuizState;
}

export function tutorState(meta: ConversationMeta): TutorState {
  const raw = meta.settings.tutor;
  return raw && typeof raw === 'object' ? raw : {};
}

/** The meta with the tutoring state replaced (undefined removes it); other settings kept. */
export function withTutorState(meta: ConversationMeta, state: TutorState | undefined): ConversationMeta {
  const settings = { ...meta.settings };
  if (state) settings.tutor = state;
  else delete settings.tutor;
  return { ...meta, settings };
}

/** The same state without the key (so the stored JSON stays free of undefined). */
export function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}
