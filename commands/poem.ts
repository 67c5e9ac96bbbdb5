import type { CommandSpec } from '../src/engine/spec.js';

/** Poem forms: the value users type, the label Discord shows, and what the poet is asked for. */
export const POEM_FORMS = [
  { value: 'free', label: 'Free verse', labelZh: '自由诗', ask: 'a free-verse poem' },
  { value: 'haiku', label: 'Haiku (5-7-5)', labelZh: '俳句', ask: 'a haiku: exactly three lines of 5, 7 and 5 syllables' },
  { value: 'tanka', label: 'Tanka (5-7-5-7-7)', labelZh: '短歌', ask: 'a tanka: exactly five lines of 5, 7, 5, 7 and 7 syllables' },
  { value: 'limerick', label: 'Limerick (AABBA)', labelZh: '五行打油诗', ask: 'a limerick: five lines rhyming AABBA; lines 1, 2 and 5 long (8-10 syllables), lines 3 and 4 short (5-7 syllables)' },
  { value: 'sonnet', label: 'Shakespearean sonnet', labelZh: '莎士比亚十四行诗', ask: 'a Shakespearean sonnet: 14 lines of about ten syllables, rhyming ABAB CDCD EFEF GG' },
  { value: 'jueju5', label: '五言绝句 (4×5)', labelZh: '五言绝句', ask: 'a 五言绝句 in Chinese: exactly four lines of five Chinese characters each' },
  { value: 'jueju7', label: '七言绝句 (4×7)', labelZh: '七言绝句', ask: 'a 七言绝句 in Chinese: exactly four lines of seven Chinese characters each' },
] as const;

const poem: CommandSpec = {
  name: 'poem',
  description: 'Write a poem on a topic, in a form',
  zh: { name: '诗', description: '按指定诗体写一首诗' },
  options: [
    { name: 'topic', description: 'What the poem is about', required: true, rest: true, maxLength: 500, zh: { name: '主题', description: '诗的主题' } },
    {
      name: 'form',
      description: 'The form to keep (default: free verse)',
      choices: POEM_FORMS.map((f) => ({ value: f.value, label: f.label, labelZh: f.labelZh })),
      zh: { name: '诗体', description: '诗的体裁' },
    },
  ],
  async *run({ options, session }) {
    const form = POEM_FORMS.find((f) => f.value === (options.form ?? 'free'))!;
    const persona = session.requirePersona('poet');
    yield* session.reply({ persona, turn: session.userTurn(`Write ${form.ask}, about: ${options.topic}`, `poem.${form.value}`) });
  },
};

export default poem;
