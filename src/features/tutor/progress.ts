import { LANGUAGE_NAMES } from './language.js';
import { reviewNext, type LearnerRecord, type QuizResult } from './learner.js';

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export function quizScore(quiz: QuizResult): string {
  if (quiz.score === undefined || !quiz.max) return 'could not grade';
  const graded = quiz.items.filter((i) => i.score !== undefined).length;
  const partly = graded < quiz.items.length ? ` (${graded} of ${quiz.items.length} questions graded)` : '';
  return `${fmt(quiz.score)}/${quiz.max} (${Math.round((quiz.score / quiz.max) * 100)}%)${partly}`;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The learner's progress across sessions and conversations, as one message. */
export function formatProgress(record: LearnerRecord | undefined, name: string): string {
  const subjects = Object.values(record?.subjects ?? {});
  if (!record || (subjects.length === 0 && record.quizzes.length === 0 && record.summaries.length === 0)) {
    return `${name}, you have no tutoring progress yet. Start a session with /tutor <subject>, then try /tutor quiz.`;
  }
  const lines = [`Tutoring progress for ${name}`];
  if (record.language) lines.push(`Language: ${LANGUAGE_NAMES[record.language]}`);
  if (subjects.length) {
    lines.push('', 'Subjects:');
    for (const s of subjects.sort((a, b) => b.lastStudied - a.lastStudied)) {
      lines.push(`- ${s.subject}: ${s.level ?? 'level not set'}, ${s.sessions} session${s.sessions === 1 ? '' : 's'}, last ${day(s.lastStudied)}`);
    }
  }
  if (record.quizzes.length) {
    lines.push('', 'Quizzes:');
    for (const q of record.quizzes.slice(-10)) lines.push(`- ${day(q.at)} ${q.subject}${q.level ? ` (${q.level})` : ''}: ${quizScore(q)}`);
  }
  const review = reviewNext(record);
  if (review.length) {
    lines.push('', 'Review next:');
    for (const r of review) lines.push(`- ${r.topic} (${r.subject}, ${Math.round(r.ratio * 100)}%)${r.feedback ? `: ${r.feedback}` : ''}`);
  } else if (record.quizzes.some((q) => q.score !== undefined)) {
    lines.push('', 'Review next: nothing weak in your recent quizzes; try a harder level.');
  }
  const last = record.summaries.at(-1);
  if (last) lines.push('', `Last session (${last.subject}, ${day(last.at)}):`, last.text);
  return lines.join('\n');
}
