import { UserFacingError } from '../src/engine/parts.js';
import type { CommandSpec, CommandHandler } from '../src/engine/spec.js';

// The story bible (lore triggered by keys, budgets, imports) lands with the storytelling
// update; the spec exists now so every adapter registers the command.
const notYet: CommandHandler = async function* () {
  throw new UserFacingError('bad_input', 'Lore (the story bible) is not available yet; nothing was saved.');
};

const lore: CommandSpec = {
  name: 'lore',
  description: "Keep the story's world consistent (story bible)",
  zh: { name: '设定集', description: '维护故事世界的设定' },
  subcommands: [
    {
      name: 'add',
      description: 'Add or replace a lore entry',
      zh: { name: '添加', description: '添加设定条目' },
      options: [
        { name: 'key', description: 'The name that triggers the entry', required: true, maxLength: 100, zh: { name: '关键词', description: '触发条目的名字' } },
        { name: 'text', description: 'What is true about it', required: true, rest: true, maxLength: 2000, zh: { name: '内容', description: '条目内容' } },
      ],
      run: notYet,
    },
    { name: 'list', description: 'List the lore entries', zh: { name: '列表', description: '列出设定条目' }, options: [], run: notYet },
    {
      name: 'remove',
      description: 'Remove a lore entry',
      zh: { name: '删除', description: '删除设定条目' },
      options: [{ name: 'key', description: 'The entry to remove', required: true, maxLength: 100, zh: { name: '关键词', description: '要删除的条目' } }],
      run: notYet,
    },
  ],
};

export default lore;
