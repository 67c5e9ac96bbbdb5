import type { Translate } from '../../i18n/index.js';
import { reviewNext, type LearnerRecord, type QuizResult } from './learner.js';
import { LANGUAGE_LABELS, levelName } from './names.js';

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** A quiz's score as people read it: "5/6 (83%)", or that it could not be graded. */
export function quizScore(quiz: QuizResult, t: Translate): string {
  if (quiz.score === undefined || !quiz.max) return t('tutor.result.couldNotGrade');
  const graded = quiz.items.filter((i) => i.score !== undefined).length;
  const score = t('tutor.result.score', { score: fmt(quiz.score), max: quiz.max, percent: Math.round((quiz.score / quiz.max) * 100) });
  return graded < quiz.items.length ? t('tutor.result.partlyGraded', { score, graded, total: quiz.items.length }) : score;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The learner's progress across sessions and conversations, as one message in the speaker's language. */
export function formatProgress(record: LearnerRecord | undefined, name: string, t: Translate): string {
  const subjects = Object.values(record?.subjects ?? {});
  if (!record || (subjects.length === 0 && record.quizzes.length === 0 && record.summaries.length === 0)) {
    return t('tutor.progress.none', { name });
  }
  const lines = [t('tutor.progress.heading', { name })];
  if (record.language) lines.push(t('tutor.progress.language', { language: LANGUAGE_LABELS[record.language] }));
  if (subjects.length) {
    lines.push('', t('tutor.progress.subjects'));
    for (const s of subjects.sort((a, b) => b.lastStudied - a.lastStudied)) {
      const vars = {
        subject: s.subject,
        level: s.level ? levelName(s.level) : { key: 'tutor.progress.noLevel' },
        sessions: s.sessions,
        day: day(s.lastStudied),
      };
      lines.push(s.sessions === 1 ? t('tutor.progress.subjectOne', vars) : t('tutor.progress.subjectMany', vars));
    }
  }
  if (record.quizzes.length) {
    lines.push('', t('tutor.progress.quizzes'));
    for (const q of record.quizzes.slice(-10)) {
      const vars = { day: day(q.at), subject: q.subject, score: quizScore(q, t) };
      lines.push(q.level ? t('tutor.progress.quizLevel', { ...vars, level: levelName(q.level) }) : t('tutor.progress.quiz', vars));
    }
  }
  const review = reviewNext(record);
  if (review.length) {
    lines.push('', t('tutor.progress.review'));
    for (const r of review) {
      const vars = { topic: r.topic, subject: r.subject, percent: Math.round(r.ratio * 100) };
      lines.push(r.feedback ? t('tutor.progress.reviewFeedback', { ...vars, feedback: r.feedback }) : t('tutor.progress.reviewItem', vars));
    }
  } else if (record.quizzes.some((q) => q.score !== undefined)) {
    lines.push('', t('tutor.progress.nothingWeak'));
  }
  const last = record.summaries.at(-1);
  if (last) lines.push('', t('tutor.progress.lastSession', { subject: last.subject, day: day(last.at) }), last.text);
  return lines.join('\n');
}
