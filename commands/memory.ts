import type { CommandSpec } from '../src/engine/spec.js';
import { clearMemory, showMemory } from '../src/features/memory/memory.js';

const memory: CommandSpec = {
  name: 'memory',
  description: 'Show or clear what Muse remembers here',
  zh: { name: '记忆', description: '查看或清除本对话的记忆' },
  subcommands: [
    {
      name: 'show',
      description: 'Show what Muse remembers of this conversation',
      zh: { name: '查看', description: '查看记忆' },
      options: [],
      run: ({ session, registry }) => showMemory(session, registry),
    },
    {
      name: 'clear',
      description: 'Forget this conversation (turns, summary, persona, lore, story versions)',
      zh: { name: '清除', description: '忘记本对话' },
      requires: ['manager'],
      options: [],
      run: ({ session }) => clearMemory(session),
    },
  ],
};

export default memory;
