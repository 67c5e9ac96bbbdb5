import type { Sentences } from '../../i18n/index.js';
import { LANGUAGE_NAMES } from './language.js';

/**
 * The tutor feature's sentences (t('tutor.…')): what Muse itself writes to a learner. The
 * instructions to the model stay English, and the model's questions, feedback and summaries are
 * shown as written.
 */
export const tutorSentences = {
  en: {
    starter: { title: 'Teach me something', message: '/tutor start how fractions work level:beginner' },
    describe: {
      subject: 'Tutoring: {{subject}}',
      subjectLevel: 'Tutoring: {{subject}} ({{level}})',
    },
    level: {
      beginner: 'beginner',
      intermediate: 'intermediate',
      advanced: 'advanced',
    },
    // The names the tutor's prompt uses too (language.ts).
    language: LANGUAGE_NAMES,
    noSession: {
      quiz: 'There is no tutoring session here, so there is nothing to quiz you on. Start one with /tutor <subject> (for example /tutor fractions).',
      end: 'There is no tutoring session here, so there is nothing to end. Start one with /tutor <subject> (for example /tutor fractions).',
    },
    manager: {
      start: 'start a tutoring session',
      startInDm: 'Start one in a direct message with Muse.',
      stopQuiz: "stop {{name}}'s quiz",
    },
    placement: {
      moved: '📚 Your tutoring session continues in our direct messages.',
      failed:
        '⚠️ Muse could not open a direct message with you (your privacy settings may block DMs from this server), so the tutoring session was not started.',
    },
    someoneElse: 'someone else',
    saveFailed: 'Muse could not update your saved progress just now; the reply itself was saved.',
    quiz: {
      question: 'Question {{n}} of {{total}}: {{question}}',
      questionOnTopic: 'Question {{n}} of {{total}} ({{topic}}): {{question}}',
      running: 'A quiz is already running. {{question}}\n(Answer it in a message, or stop the quiz with /tutor quiz stop.)',
      unreadable: 'The model did not write quiz questions Muse could read, so no quiz was started; please try /tutor quiz again.',
      introOne: 'Quiz on {{subject}} ({{level}}), 1 question. Answer each one in a message; /tutor quiz stop stops the quiz.',
      intro: 'Quiz on {{subject}} ({{level}}), {{count}} questions. Answer each one in a message; /tutor quiz stop stops the quiz.',
      noneRunning: 'There is no quiz running here. Start one with /tutor quiz.',
      stopped: 'Quiz stopped after {{answered}} of {{total}} answers; it was not scored.',
      notYours: "This quiz is {{name}}'s: only {{name}}'s messages answer it. Wait for it to end, or {{name}} can stop it with /tutor quiz stop.",
    },
    result: {
      heading: 'Quiz result, {{subject}}: {{score}}',
      yourAnswer: 'Your answer: {{answer}}',
      couldNotGrade: 'could not grade',
      score: '{{score}}/{{max}} ({{percent}}%)',
      partlyGraded: '{{score}} ({{graded}} of {{total}} questions graded)',
      noScore: 'Muse could not read a grade for these answers, so no score was given; your answers are saved. Try another /tutor quiz later.',
      saved: 'Saved to your progress: /tutor progress.',
    },
    end: {
      saved: '(Session ended; the summary is saved to /tutor progress.)',
      quizStopped: '(The quiz in progress was stopped after {{answered}} of {{total}} answers and not scored.)',
    },
    progress: {
      none: '{{name}}, you have no tutoring progress yet. Start a session with /tutor <subject>, then try /tutor quiz.',
      heading: 'Tutoring progress for {{name}}',
      language: 'Language: {{language}}',
      subjects: 'Subjects:',
      subjectOne: '- {{subject}}: {{level}}, 1 session, last {{day}}',
      subjectMany: '- {{subject}}: {{level}}, {{sessions}} sessions, last {{day}}',
      noLevel: 'level not set',
      quizzes: 'Quizzes:',
      quiz: '- {{day}} {{subject}}: {{score}}',
      quizLevel: '- {{day}} {{subject}} ({{level}}): {{score}}',
      review: 'Review next:',
      reviewItem: '- {{topic}} ({{subject}}, {{percent}}%)',
      reviewFeedback: '- {{topic}} ({{subject}}, {{percent}}%): {{feedback}}',
      nothingWeak: 'Review next: nothing weak in your recent quizzes; try a harder level.',
      lastSession: 'Last session ({{subject}}, {{day}}):',
    },
  },
  'zh-CN': {
    starter: { title: '教我点东西', message: '/tutor start 分数是怎么回事 level:beginner' },
    describe: {
      subject: '辅导：{{subject}}',
      subjectLevel: '辅导：{{subject}}（{{level}}）',
    },
    level: {
      beginner: '入门',
      intermediate: '中级',
      advanced: '高级',
    },
    language: {
      zh: '中文',
      ja: '日语（日本語）',
      ko: '韩语（한국어）',
      ru: '俄语（русский）',
      en: '英语（English）',
      es: '西班牙语（español）',
      fr: '法语（français）',
      de: '德语（Deutsch）',
    },
    noSession: {
      quiz: '这里没有进行中的辅导，所以没有可以测验的内容。用 /tutor <科目> 开始一次（例如 /tutor 分数）。',
      end: '这里没有进行中的辅导，所以没有可以结束的内容。用 /tutor <科目> 开始一次（例如 /tutor 分数）。',
    },
    manager: {
      start: '开始辅导',
      startInDm: '可以在和 Muse 的私信里开始。',
      stopQuiz: '停止 {{name}} 的测验',
    },
    placement: {
      moved: '📚 你的辅导在我们的私信里继续。',
      failed: '⚠️ Muse 无法给你发私信（你的隐私设置可能不允许这个服务器的成员私信你），所以辅导没有开始。',
    },
    someoneElse: '别人',
    saveFailed: 'Muse 刚才没能更新你保存的进度；回复本身已保存。',
    quiz: {
      question: '第 {{n}} 题（共 {{total}} 题）：{{question}}',
      questionOnTopic: '第 {{n}} 题（共 {{total}} 题，{{topic}}）：{{question}}',
      running: '已经有一个测验在进行。{{question}}\n（发一条消息作答，或用 /tutor quiz stop 停止测验。）',
      unreadable: '模型写出的测验题 Muse 读不懂，所以测验没有开始；请再试一次 /tutor quiz。',
      introOne: '测验：{{subject}}（{{level}}），共 1 题。每题发一条消息作答；/tutor quiz stop 可以停止测验。',
      intro: '测验：{{subject}}（{{level}}），共 {{count}} 题。每题发一条消息作答；/tutor quiz stop 可以停止测验。',
      noneRunning: '这里没有进行中的测验。用 /tutor quiz 开始一个。',
      stopped: '测验已停止，共答了 {{answered}} 题（共 {{total}} 题）；本次不计分。',
      notYours: '这是 {{name}} 的测验：只有 {{name}} 的消息才算作答。请等它结束，或者由 {{name}} 用 /tutor quiz stop 停止。',
    },
    result: {
      heading: '测验结果，{{subject}}：{{score}}',
      yourAnswer: '你的答案：{{answer}}',
      couldNotGrade: '无法评分',
      score: '{{score}}/{{max}}（{{percent}}%）',
      partlyGraded: '{{score}}，{{total}} 题中评了 {{graded}} 题',
      noScore: 'Muse 读不出这些答案的评分，所以没有给分；你的答案已保存。稍后再试一次 /tutor quiz 吧。',
      saved: '已存入你的进度：/tutor progress。',
    },
    end: {
      saved: '（辅导已结束；总结已存入 /tutor progress。）',
      quizStopped: '（进行中的测验已停止：共 {{total}} 题，答了 {{answered}} 题，不计分。）',
    },
    progress: {
      none: '{{name}}，你还没有辅导进度。先用 /tutor <科目> 开始学习，再试试 /tutor quiz。',
      heading: '{{name}} 的辅导进度',
      language: '语言：{{language}}',
      subjects: '科目：',
      subjectOne: '- {{subject}}：{{level}}，1 次学习，最近一次 {{day}}',
      subjectMany: '- {{subject}}：{{level}}，{{sessions}} 次学习，最近一次 {{day}}',
      noLevel: '未设水平',
      quizzes: '测验：',
      quiz: '- {{day}} {{subject}}：{{score}}',
      quizLevel: '- {{day}} {{subject}}（{{level}}）：{{score}}',
      review: '接下来复习：',
      reviewItem: '- {{topic}}（{{subject}}，{{percent}}%）',
      reviewFeedback: '- {{topic}}（{{subject}}，{{percent}}%）：{{feedback}}',
      nothingWeak: '接下来复习：最近的测验里没有薄弱点；试试更高的水平吧。',
      lastSession: '上次学习（{{subject}}，{{day}}）：',
    },
  },
} satisfies Sentences;
