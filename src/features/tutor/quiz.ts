import type { Localized, Translate } from '../../i18n/index.js';
import type { ChatMessage } from '../../model/types.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { thenSave } from './after-reply.js';
import { detectLanguage, LANGUAGE_NAMES, languageInstruction } from './language.js';
import { updateLearner, type GradedItem, type QuizResult } from './learner.js';
import { parseGrades, parseQuestions, type Grade } from './parse.js';
import { levelName } from './names.js';
import { quizScore } from './progress.js';
import { tutorState, without, withTutorState, type QuizState, type TutorState } from './state.js';

export const DEFAULT_QUESTIONS = 3;
const MAX_SCORE = 2;

/** The session's state, or a clear sentence when there is no tutoring session here (to quiz on, or to end). */
export function requireSession(session: Session, forWhat: 'quiz' | 'end'): TutorState & { subject: string } {
  const state = tutorState(session.meta);
  if (session.persona().mode !== 'tutor' || !state.subject) {
    throw forWhat === 'quiz' ? UserFacingError.of('bad_input', 'tutor.noSession.quiz') : UserFacingError.of('bad_input', 'tutor.noSession.end');
  }
  return state as TutorState & { subject: string };
}

function questionText(quiz: QuizState, index: number, t: Translate): string {
  const q = quiz.questions[index]!;
  const vars = { n: index + 1, total: quiz.questions.length, question: q.question };
  return q.topic ? t('tutor.quiz.questionOnTopic', { ...vars, topic: q.topic }) : t('tutor.quiz.question', vars);
}

/** Whose quiz it is, as people read it. */
const learnerName = (quiz: QuizState): string | Localized => quiz.learnerName ?? { key: 'tutor.someoneElse' };

/** `tutor quiz`: asks the model for questions, then shows the first one. */
export async function* startQuiz(session: Session, count: number): AsyncGenerator<ReplyPart> {
  const state = requireSession(session, 'quiz');
  if (state.quiz) {
    yield* session.say(session.t('tutor.quiz.running', { question: questionText(state.quiz, state.quiz.answers.length, session.t) }));
    return;
  }
  const level = state.level ?? 'beginner';
  const language = state.language ? LANGUAGE_NAMES[state.language] : "the learner's language";
  const turn = session.userTurn(`Quiz me on ${state.subject} (${count} question${count === 1 ? '' : 's'}).`, 'tutor.quiz');
  const instruction = [
    `Write exactly ${count} quiz questions on this session's subject (in the data) for a learner at the ${level} level, in ${language}.`,
    'Each question has a short answer that can be checked; name the topic it tests in a few words. Do not include the answers.',
    'Reply with only JSON, no other text: {"questions":[{"question":"...","topic":"..."}]}',
  ].join(' ');
  const request = { turn, instruction };
  let raw = await session.draft(request);
  let questions = parseQuestions(raw, count);
  if (questions.length === 0) {
    raw = await session.draft(request, repairMessages(raw, 'Reply with only the JSON object {"questions":[{"question":"...","topic":"..."}]}, nothing else.'));
    questions = parseQuestions(raw, count);
  }
  if (questions.length === 0) {
    throw UserFacingError.of('model', 'tutor.quiz.unreadable');
  }
  const quiz: QuizState = { learnerId: session.speaker.id, learnerName: session.speaker.name, questions, answers: [], startedAt: session.now() };
  const meta = withTutorState(session.meta, { ...state, quiz });
  const vars = { subject: state.subject, level: levelName(level), count: questions.length };
  const intro = questions.length === 1 ? session.t('tutor.quiz.introOne', vars) : session.t('tutor.quiz.intro', vars);
  yield* session.deliver({ turn, meta }, `${intro}\n\n${questionText(quiz, 0, session.t)}`);
}

/** `tutor quiz stop`: ends the quiz without a score (its learner, or a manager). */
export async function* stopQuiz(session: Session): AsyncGenerator<ReplyPart> {
  const state = tutorState(session.meta);
  if (!state.quiz) {
    yield* session.say(session.t('tutor.quiz.noneRunning'), true);
    return;
  }
  if (!isLearner(session, state.quiz)) await session.requireManager({ key: 'tutor.manager.stopQuiz', vars: { name: learnerName(state.quiz) } });
  await session.commitMeta(withTutorState(session.meta, without(state, 'quiz')));
  yield* session.say(session.t('tutor.quiz.stopped', { answered: state.quiz.answers.length, total: state.quiz.questions.length }));
}

/**
 * A plain message while a quiz runs: the answer to the current question. The next question
 * follows; after the last one the answers are graded, shown and stored in the learner's record.
 */
export async function* answerQuiz(session: Session, text: string): AsyncGenerator<ReplyPart> {
  const state = tutorState(session.meta);
  const asked = state.quiz!;
  if (!isLearner(session, asked)) {
    yield* session.say(session.t('tutor.quiz.notYours', { name: learnerName(asked) }), true);
    return;
  }
  // A quiz from before learners were recorded belongs to whoever answers it first.
  const quiz: QuizState = asked.learnerId ? asked : { ...asked, learnerId: session.speaker.id, learnerName: session.speaker.name };
  const learnerId = quiz.learnerId!;
  const answers = [...quiz.answers, text];
  const turn = session.userTurn(text, 'tutor.quiz.answer');
  const language = detectLanguage(text) ?? state.language;
  const base: TutorState = { ...state, ...(language ? { language } : {}) };
  if (answers.length < quiz.questions.length) {
    const next: QuizState = { ...quiz, answers };
    yield* session.deliver({ turn, meta: withTutorState(session.meta, { ...base, quiz: next }) }, questionText(next, answers.length, session.t));
    return;
  }
  const grades = await grade(session, state, { ...quiz, answers });
  const items: GradedItem[] = quiz.questions.map((q, i) => {
    const g = grades[i]!;
    return {
      question: q.question,
      ...(q.topic ? { topic: q.topic } : {}),
      answer: answers[i]!.slice(0, 1000),
      max: g.max,
      ...(g.score !== undefined ? { score: g.score } : {}),
      ...(g.feedback ? { feedback: g.feedback } : {}),
    };
  });
  const graded = items.filter((i) => i.score !== undefined);
  const result: QuizResult = {
    subject: state.subject ?? 'general',
    ...(state.level ? { level: state.level } : {}),
    at: session.now(),
    items,
    ...(graded.length ? { score: graded.reduce((s, i) => s + i.score!, 0), max: graded.reduce((s, i) => s + i.max, 0) } : {}),
  };
  const meta = withTutorState(session.meta, without(base, 'quiz'));
  const save = () =>
    updateLearner(
      session,
      (record) => {
        record.quizzes.push(result);
        if (language) record.language = language;
      },
      learnerId,
    );
  yield* thenSave(session.deliver({ turn, meta }, resultText(result, session.t)), session.t, save);
}

/** Whether the speaker is the quiz's learner (anyone may be on a quiz that recorded none). */
function isLearner(session: Session, quiz: QuizState): boolean {
  return quiz.learnerId === undefined || quiz.learnerId === session.speaker.id;
}

async function grade(session: Session, state: TutorState, quiz: QuizState): Promise<Grade[]> {
  const listing = quiz.questions.map((q, i) => `${i + 1}. Question: ${q.question}\n   My answer: ${quiz.answers[i] ?? ''}`).join('\n');
  const turn = session.userTurn(`Grade my quiz on ${state.subject}:\n${listing}`, 'tutor.quiz.grade');
  const instruction = [
    `Grade the learner's quiz answers with this rubric: 2 = correct and complete; 1 = partly correct or a small slip; 0 = wrong, missing or "I don't know".`,
    `For each question give the score and one line of feedback (what was right, or what to fix). ${languageInstruction(state.language)}`,
    `Reply with only JSON, no other text: {"grades":[{"question":1,"score":2,"feedback":"..."}]} with one entry for each of the ${quiz.questions.length} questions.`,
  ].join(' ');
  const request = { turn, instruction };
  const raw = await session.draft(request);
  const grades = parseGrades(raw, quiz.questions.length, MAX_SCORE);
  if (grades.some((g) => g.score !== undefined)) return grades;
  // One repair try; what still cannot be read is reported as "could not grade".
  const again = await session.draft(
    request,
    repairMessages(raw, `Reply with only the JSON object {"grades":[{"question":1,"score":0,"feedback":"..."}]}, scores 0, 1 or 2, nothing else.`),
  );
  return parseGrades(again, quiz.questions.length, MAX_SCORE);
}

function repairMessages(previous: string, ask: string): ChatMessage[] {
  return [
    { role: 'assistant', content: previous.trim() || '(empty)' },
    { role: 'user', content: `That could not be read. ${ask}` },
  ];
}

function resultText(result: QuizResult, t: Translate): string {
  const lines = [t('tutor.result.heading', { subject: result.subject, score: quizScore(result, t) })];
  result.items.forEach((item, i) => {
    const mark =
      item.score === undefined ? t('tutor.result.couldNotGrade') : `${item.score}/${item.max} ${item.score === item.max ? '✓' : item.score > 0 ? '~' : '✗'}`;
    lines.push(
      `${i + 1}. ${item.question}`,
      `   ${t('tutor.result.yourAnswer', { answer: clip(item.answer) })}`,
      `   ${mark}${item.feedback ? `: ${item.feedback}` : ''}`,
    );
  });
  lines.push('', result.score === undefined ? t('tutor.result.noScore') : t('tutor.result.saved'));
  return lines.join('\n');
}

const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
