import type { TutorSettings } from '../src/engine/prompt.js';
import type { CommandSpec } from '../src/engine/spec.js';

export const LEVELS = [
  { value: 'beginner', label: 'Beginner', labelZh: '入门' },
  { value: 'intermediate', label: 'Intermediate', labelZh: '中级' },
  { value: 'advanced', label: 'Advanced', labelZh: '高级' },
];

const tutor: CommandSpec = {
  name: 'tutor',
  description: 'Learn a subject with a Socratic tutor (best in DMs)',
  zh: { name: '辅导', description: '和苏格拉底式导师学习（私信效果最好）' },
  defaultSubcommand: 'start',
  subcommands: [
    {
      name: 'start',
      description: 'Start a tutoring session on a subject',
      zh: { name: '开始', description: '开始一个学习主题' },
      options: [
        { name: 'subject', description: 'What you want to learn', required: true, rest: true, maxLength: 300, zh: { name: '科目', description: '想学什么' } },
        { name: 'level', description: 'Your level', choices: LEVELS, zh: { name: '水平', description: '你的水平' } },
      ],
      async *run({ options, session }) {
        const persona = session.requirePersona('tutor');
        const tutorSettings: TutorSettings = { subject: options.subject!, ...(options.level ? { level: options.level } : {}) };
        const meta = session.freshMeta(persona.name, { tutor: tutorSettings });
        const level = options.level ? ` My level: ${options.level}.` : '';
        yield* session.reply({ meta, persona, turn: session.userTurn(`I want to learn about ${options.subject}.${level}`, 'tutor.start') });
      },
    },
  ],
};

export default tutor;
