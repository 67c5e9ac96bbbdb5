import { CARD_FILES } from '../src/cards/upload.js';
import { subcommand, type CommandSpec } from '../src/engine/spec.js';
import { addEntry, clearEntries, listEntries, removeEntry, whyEntries } from '../src/features/lore/edit.js';
import { importLore } from '../src/features/lore/import-command.js';

const keyOption = {
  name: 'key',
  description: 'The name that triggers the entry',
  required: true,
  maxLength: 100,
  zh: { name: '关键词', description: '触发条目的名字' },
} as const;

/**
 * The story bible of a conversation. Anyone may add entries, and replace or remove their own
 * (every change is announced in the channel); in a shared channel, changing other people's
 * entries, importing a file and clearing them all need a manager.
 */
const lore: CommandSpec = {
  name: 'lore',
  description: "Keep the story's world consistent (story bible)",
  zh: { name: '设定集', description: '维护故事世界的设定' },
  subcommands: [
    subcommand({
      name: 'add',
      description: 'Add or replace a lore entry (key "Ember|the red dragon" adds aliases)',
      zh: { name: '添加', description: '添加或替换设定条目（关键词可写“名字|别名”）' },
      options: [
        { ...keyOption, description: 'The name that triggers the entry; aliases after |' },
        { name: 'text', description: 'What is true about it', required: true, rest: true, maxLength: 2000, zh: { name: '内容', description: '条目内容' } },
        { name: 'always', description: 'Inject it into every reply, mentioned or not', type: 'boolean', zh: { name: '常驻', description: '每次回复都加入' } },
      ],
      run: ({ options, session }) => addEntry(session, options),
    }),
    {
      name: 'list',
      description: 'List the lore entries',
      zh: { name: '列表', description: '列出设定条目' },
      options: [],
      run: ({ session }) => listEntries(session),
    },
    {
      name: 'why',
      description: 'Which lore entries the last reply used, and which were skipped for budget',
      zh: { name: '原因', description: '上次回复用了哪些设定' },
      options: [],
      run: ({ session }) => whyEntries(session),
    },
    subcommand({
      name: 'remove',
      description: 'Remove a lore entry',
      zh: { name: '删除', description: '删除设定条目' },
      options: [{ ...keyOption, description: 'The entry to remove (its key or an alias)', zh: { name: '关键词', description: '要删除的条目' } }],
      run: ({ options, session }) => removeEntry(session, options.key),
    }),
    subcommand({
      name: 'import',
      description: 'Import a SillyTavern World Info file or the lore of a character card (JSON or PNG)',
      zh: { name: '导入', description: '导入 World Info 或角色卡中的设定' },
      // An import can replace any entry: checked before the file is downloaded.
      requires: ['manager'],
      options: [
        {
          name: 'file',
          description: 'World Info JSON, or a Character Card V2/V3 (JSON or PNG)',
          type: 'attachment',
          accept: CARD_FILES,
          zh: { name: '文件', description: '要导入的文件' },
        },
        { name: 'path', description: 'A local file (terminal only)', maxLength: 500, zh: { name: '路径', description: '本地文件（仅终端）' } },
      ],
      async *run({ options, session }) {
        yield* session.say(await importLore(session, options.path));
      },
    }),
    {
      name: 'clear',
      description: 'Remove every lore entry of this conversation',
      zh: { name: '清空', description: '删除本对话的所有设定' },
      requires: ['manager'],
      options: [],
      run: ({ session }) => clearEntries(session),
    },
  ],
};

export default lore;
