import { subcommand, type CommandSpec } from '../src/engine/spec.js';
import { formatProgress } from '../src/features/tutor/progress.js';
import { loadLearner } from '../src/features/tutor/learner.js';
import { endLesson, startLesson } from '../src/features/tutor/lesson.js';
import { DEFAULT_QUESTIONS, startQuiz, stopQuiz } from '../src/features/tutor/quiz.js';

export const LEVELS = [
  { value: 'beginner', label: 'Beginner', labelZh: '入门' },
  { value: 'intermediate', label: 'Intermediate', labelZh: '中级' },
  { value: 'advanced', label: 'Advanced', labelZh: '高级' },
] as const;

const tutor: CommandSpec = {
  name: 'tutor',
  description: 'Learn a subject with a Socratic tutor (best in DMs)',
  zh: { name: '辅导', description: '和苏格拉底式导师学习（私信效果最好）' },
  defaultSubcommand: 'start',
  subcommands: [
    subcommand({
      name: 'start',
      description: 'Start a tutoring session on a subject',
      zh: { name: '开始', description: '开始一个学习主题' },
      // Tutoring is one to one: in a server it moves to the learner's DMs.
      placement: 'dm',
      placementNotes: { moved: { key: 'tutor.placement.moved' }, failed: { key: 'tutor.placement.failed' } },
      options: [
        { name: 'subject', description: 'What you want to learn', required: true, rest: true, maxLength: 300, zh: { name: '科目', description: '想学什么' } },
        {
          name: 'level',
          description: 'Your level (default: the one remembered for this subject)',
          choices: LEVELS,
          zh: { name: '水平', description: '你的水平（默认：上次记住的水平）' },
        },
      ],
      run: ({ options, session }) => startLesson(session, options.subject, options.level),
    }),
    subcommand({
      name: 'quiz',
      description: 'A short quiz on the session subject, graded at the end',
      zh: { name: '测验', description: '就当前主题做个小测验，最后评分' },
      options: [
        {
          name: 'action',
          description: 'start (default) or stop the running quiz',
          choices: [
            { value: 'start', label: 'Start a quiz', labelZh: '开始测验' },
            { value: 'stop', label: 'Stop the quiz', labelZh: '停止测验' },
          ],
          zh: { name: '操作', description: '开始（默认）或停止测验' },
        },
        {
          name: 'questions',
          description: `How many questions (default ${DEFAULT_QUESTIONS})`,
          type: 'integer',
          min: 1,
          max: 5,
          zh: { name: '题数', description: `题目数量（默认 ${DEFAULT_QUESTIONS}）` },
        },
      ],
      run: ({ options, session }) => (options.action === 'stop' ? stopQuiz(session) : startQuiz(session, options.questions ?? DEFAULT_QUESTIONS)),
    }),
    {
      name: 'progress',
      description: 'Your subjects, levels, quiz scores and what to review next',
      zh: { name: '进度', description: '你的科目、水平、测验成绩和复习建议' },
      options: [],
      async *run({ session }) {
        const record = await loadLearner(session);
        yield* session.say(formatProgress(record, session.speaker.name, session.t), !session.ref.dm);
      },
    },
    {
      name: 'end',
      description: 'End the session with a summary of what you learned',
      zh: { name: '结束', description: '结束本次学习并总结所学' },
      options: [],
      run: ({ session }) => endLesson(session),
    },
  ],
};

export default tutor;
