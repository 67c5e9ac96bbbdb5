import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { thenSave } from './after-reply.js';
import { detectLanguage, languageInstruction } from './language.js';
import { classify, climb, ladderInstruction, SOLVED_MARK } from './ladder.js';
import { loadLearner, noteSubject, subjectKey, updateLearner } from './learner.js';
import { requireSession } from './quiz.js';
import { tutorState, withTutorState, type TutorState } from './state.js';

/**
 * `tutor start <subject> [level]`: a fresh session. Without a level, the level remembered for
 * this subject is used; the language is the subject's when it can be told, else the remembered
 * one. The opening reply is on the first rung (ask what they know). It switches the persona and
 * wipes the conversation's state, so in a shared channel it needs a manager (in a DM, anyone).
 */
export async function* startLesson(session: Session, subject: string, level: string | undefined): AsyncGenerator<ReplyPart> {
  await session.requireManager({ key: 'tutor.manager.start' }, { key: 'tutor.manager.startInDm' });
  const persona = await session.requirePersona('tutor');
  const record = await loadLearner(session);
  const chosenLevel = level ?? record.subjects[subjectKey(subject)]?.level;
  const language = detectLanguage(subject) ?? record.language;
  const state: TutorState = { subject, startedAt: session.now(), ...(chosenLevel ? { level: chosenLevel } : {}), ...(language ? { language } : {}) };
  const meta = session.freshMeta(persona, { tutor: state });
  const said = level ? ` My level: ${level}.` : '';
  const remembered = !level && chosenLevel ? ` (This level is remembered from the learner's earlier sessions.)` : '';
  const instruction = [
    `Tutoring: a new session begins. Greet the learner briefly and ask what they already know about this session's subject (in the data), with one question. Do NOT give answers or long explanations yet.${remembered}`,
    languageInstruction(language),
  ].join(' ');
  const turn = session.userTurn(`I want to learn about ${subject}.${said}`, 'tutor.start');
  const save = () =>
    updateLearner(session, (r) => {
      noteSubject(r, subject, chosenLevel, session.now());
      if (language) r.language = language;
    });
  yield* thenSave(session.reply({ meta, persona, turn, instruction }), session.t, save);
}

/**
 * A learner's message in tutor mode (no quiz running): climbs the hint ladder and tells the
 * model which rung to use; the new ladder state is committed with the reply.
 */
export async function* lessonTurn(session: Session, text: string): AsyncGenerator<ReplyPart> {
  const state = tutorState(session.meta);
  const m = session.meta;
  let problem = state.problem;
  if (problem?.revealed) problem = undefined;
  if (problem && m.count > m.base) {
    const [last] = await session.readTurns(m.count - 1, m.count);
    if (last?.role === 'assistant' && last.text.trimStart().startsWith(SOLVED_MARK)) problem = undefined;
  }
  const kind = classify(text, !!problem && problem.steps > 0);
  if (kind === 'new') problem = undefined;
  const next = climb(problem, kind);
  const detected = detectLanguage(text);
  const language = detected ?? state.language;
  const nextState: TutorState = { ...state, problem: next, ...(language ? { language } : {}) };
  const instruction = [ladderInstruction(next.rung, next, kind === 'request'), languageInstruction(language)].join(' ');
  const meta = withTutorState(m, nextState);
  const save = detected && detected !== state.language ? () => updateLearner(session, (r) => void (r.language = detected)) : undefined;
  yield* thenSave(session.reply({ turn: session.userTurn(text, 'tutor.message'), meta, instruction }), session.t, save);
}

/**
 * `tutor end`: the model summarises what was learned (a draft, shown with deliver), the summary
 * goes into the learner's record, and the session state is cleared (the persona stays tutor).
 * A quiz still running is stopped without a score.
 */
export async function* endLesson(session: Session): AsyncGenerator<ReplyPart> {
  const state = requireSession(session, 'end');
  const turn = session.userTurn('Please summarise what I learned in this session.', 'tutor.end');
  const instruction = [
    `Tutoring: the session on this session's subject (in the data) ends. Summarise what the learner learned in this session, based only on the conversation, in at most five short bullet points.`,
    'Then one line starting "Next time:" with what to practise. If little was covered, say so honestly.',
    languageInstruction(state.language),
  ].join(' ');
  const summary = (await session.draft({ turn, instruction })).trim();
  const meta = withTutorState(session.meta, undefined);
  const notice = state.quiz
    ? session.t('tutor.end.quizStopped', { answered: state.quiz.answers.length, total: state.quiz.questions.length })
    : session.t('tutor.end.saved');
  const save = () =>
    updateLearner(session, (r) => {
      r.summaries.push({ subject: state.subject, at: session.now(), text: summary.slice(0, 2000) });
      const s = r.subjects[subjectKey(state.subject)];
      if (s) s.lastStudied = session.now();
    });
  yield* thenSave(session.deliver({ turn, meta }, summary, notice), session.t, save);
}
