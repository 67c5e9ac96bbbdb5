import type { Sentences } from '../../i18n/index.js';

/** The memory feature's sentences: `/memory show`'s own lines and `/memory clear`'s confirmation. */
export const memorySentences = {
  en: {
    show: {
      persona: 'Persona: {{name}}',
      turns: 'Turns remembered: {{n}}{{folded}}',
      folded: ' ({{n}} of them folded into the summary)',
      summary: 'Summary: {{summary}}',
      none: '(none yet)',
      latest: 'Latest turns:',
      turn: '- {{name}}: {{text}}',
    },
    cleared: 'Muse has forgotten this conversation.',
  },
  'zh-CN': {
    show: {
      persona: '角色：{{name}}',
      turns: '记住的轮次：{{n}}{{folded}}',
      folded: '（其中 {{n}} 轮已并入摘要）',
      summary: '摘要：{{summary}}',
      none: '（暂无）',
      latest: '最近的几轮：',
      turn: '- {{name}}：{{text}}',
    },
    cleared: 'Muse 已经忘记了这个对话。',
  },
} satisfies Sentences;
