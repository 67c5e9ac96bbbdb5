import type { ConversationRef } from '../../engine/conversation.js';
import type { Session } from '../../engine/session.js';
import type { LanguageCode } from './language.js';

/**
 * One learner's progress, kept as a record keyed by platform + workspace + user id, never by
 * conversation: it follows the learner from a channel to DMs in the same workspace, and no one
 * else can read it (every read uses the speaker's own id). On Discord a DM belongs to no server
 * (its workspace is "@me") and /tutor moves to DMs, so Discord learners are keyed by user id
 * under "@me" everywhere (Discord user ids are global).
 */
export interface LearnerRecord {
  v: 1;
  language?: LanguageCode;
  /** By normalized subject. */
  subjects: Record<string, SubjectProgress>;
  quizzes: QuizResult[];
  summaries: SessionSummary[];
}

export interface SubjectProgress {
  subject: string;
  level?: string;
  sessions: number;
  lastStudied: number;
}

export interface GradedItem {
  question: string;
  topic?: string;
  answer: string;
  /** Undefined when the grade could not be read. */
  score?: number;
  max: number;
  feedback?: string;
}

export interface QuizResult {
  subject: string;
  level?: string;
  at: number;
  /** Sum over the graded items; undefined when none could be graded. */
  score?: number;
  max?: number;
  items: GradedItem[];
}

export interface SessionSummary {
  subject: string;
  at: number;
  text: string;
}

const KEEP_QUIZZES = 50;
const KEEP_SUMMARIES = 20;

export function learnerKey(ref: ConversationRef, userId: string): string {
  const workspace = ref.platform === 'discord' ? '@me' : ref.workspace;
  return ['tutor', 'learner', ref.platform, workspace, userId].map((p) => encodeURIComponent(p)).join(':');
}

export function subjectKey(subject: string): string {
  return subject.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function empty(): LearnerRecord {
  return { v: 1, subjects: {}, quizzes: [], summaries: [] };
}

/** A stored record with what is missing filled in (an empty one when there is none). */
function filled(found: LearnerRecord | undefined): LearnerRecord {
  return found && typeof found === 'object' ? { ...empty(), ...found } : empty();
}

/** The speaker's record (an empty one when they have none). */
export async function loadLearner(session: Session): Promise<LearnerRecord> {
  return filled(await session.record<LearnerRecord>(learnerKey(session.ref, session.speaker.id)));
}

/**
 * Reads a learner's record (the speaker's unless `userId` names another), changes it and saves
 * it. A learner may be in two conversations at once (a DM and a thread): the session's
 * updateRecord makes their updates take turns, so neither is lost.
 */
export async function updateLearner(session: Session, change: (record: LearnerRecord) => void, userId = session.speaker.id): Promise<void> {
  await session.updateRecord<LearnerRecord>(learnerKey(session.ref, userId), (found) => {
    const record = filled(found);
    change(record);
    record.quizzes = record.quizzes.slice(-KEEP_QUIZZES);
    record.summaries = record.summaries.slice(-KEEP_SUMMARIES);
    return record;
  });
}

export function noteSubject(record: LearnerRecord, subject: string, level: string | undefined, at: number): void {
  const key = subjectKey(subject);
  const prev = record.subjects[key];
  record.subjects[key] = { subject, sessions: (prev?.sessions ?? 0) + 1, lastStudied: at, ...((level ?? prev?.level) ? { level: level ?? prev?.level } : {}) };
}

export interface ReviewItem {
  topic: string;
  subject: string;
  /** Average score ratio 0..1 over the recent quizzes. */
  ratio: number;
  feedback?: string;
}

/**
 * What to review next: the topics with the lowest average score over the last ten quizzes
 * (only graded items; a topic averaging 75% or more is not listed), weakest first.
 */
export function reviewNext(record: LearnerRecord, limit = 3): ReviewItem[] {
  const byTopic = new Map<string, { topic: string; subject: string; sum: number; n: number; feedback?: string; worst: number }>();
  for (const quiz of record.quizzes.slice(-10)) {
    for (const item of quiz.items) {
      if (item.score === undefined) continue;
      const topic = item.topic ?? (item.question.length > 60 ? `${item.question.slice(0, 59)}…` : item.question);
      const key = `${subjectKey(quiz.subject)}\u0000${subjectKey(topic)}`;
      const ratio = item.score / item.max;
      const entry = byTopic.get(key) ?? { topic, subject: quiz.subject, sum: 0, n: 0, worst: 2 };
      entry.sum += ratio;
      entry.n += 1;
      if (ratio <= entry.worst && item.feedback) {
        entry.worst = ratio;
        entry.feedback = item.feedback;
      }
      byTopic.set(key, entry);
    }
  }
  return [...byTopic.values()]
    .map((e) => ({ topic: e.topic, subject: e.subject, ratio: e.sum / e.n, ...(e.feedback ? { feedback: e.feedback } : {}) }))
    .filter((e) => e.ratio < 0.75)
    .sort((a, b) => a.ratio - b.ratio)
    .slice(0, limit);
}
