import { command } from '../src/engine/spec.js';
import { POEM_FORMS, writePoem } from '../src/features/poem/write.js';

const poem = command({
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
  run: ({ options, session }) => writePoem(session, options.topic, options.form ?? 'free'),
});

export default poem;
