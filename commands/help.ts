import type { CommandSpec } from '../src/engine/spec.js';
import { showHelp } from '../src/features/help/help.js';

const help: CommandSpec = {
  name: 'help',
  slackName: 'muse-help',
  description: 'What Muse can do and how to ask',
  zh: { name: '帮助', description: 'Muse 能做什么' },
  options: [],
  run: ({ session, registry }) => showHelp(session, registry),
};

export default help;
