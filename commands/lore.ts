import { UserFacingError } from '../src/engine/parts.js';
import type { CommandSpec } from '../src/engine/spec.js';
import { findEntry, readBook, readWhy, saveBook, upsert } from '../src/features/lore/book.js';
import { describeEntry, describeWhy } from '../src/features/lore/describe.js';
import { importLore } from '../src/features/lore/import-command.js';
import { parseKeySpec, sameKey } from '../src/features/lore/keys.js';
import { MAX_ENTRIES, type LoreEntry } from '../src/features/lore/types.js';

const keyOption = { name: 'key', description: 'The name that triggers the entry', required: true, maxLength: 100, zh: { name: '关键词', description: '触发条目的名字' } };

/**
 * The story bible of a conversation. Anyone may add, replace, remove and import entries (a story
 * tool, and every change is announced in the channel); clearing them all needs a manager.
 */
const lore: CommandSpec = {
  name: 'lore',
  description: "Keep the story's world consistent (story bible)",
  zh: { name: '设定集', description: '维护故事世界的设定' },
  subcommands: [
    {
      name: 'add',
      description: 'Add or replace a lore entry (key "Ember|the red dragon" adds aliases)',
      zh: { name: '添加', description: '添加或替换设定条目（关键词可写“名字|别名”）' },
      options: [
        { ...keyOption, description: 'The name that triggers the entry; aliases after |' },
        { name: 'text', description: 'What is true about it', required: true, rest: true, maxLength: 2000, zh: { name: '内容', description: '条目内容' } },
        {
          name: 'always',
          description: 'Inject it into every reply, mentioned or not',
          choices: [{ value: 'on', label: 'on', labelZh: '开' }, { value: 'off', label: 'off', labelZh: '关' }],
          zh: { name: '常驻', description: '每次回复都加入' },
        },
      ],
      async *run({ options, session }) {
        const { key, aliases } = parseKeySpec(options.key!);
        const book = await readBook(session);
        const old = book.entries.find((e) => sameKey(e.key) === sameKey(key));
        const entry: LoreEntry = {
          key,
          aliases: aliases.length ? aliases : (old?.aliases ?? []),
          text: options.text!,
          always: options.always ? options.always === 'on' : (old?.always ?? false),
          by: session.speaker.name,
          at: session.now(),
        };
        const { entries, replaced } = upsert(book.entries, entry);
        if (entries.length > MAX_ENTRIES) throw new UserFacingError('bad_input', `This conversation already has ${MAX_ENTRIES} lore entries, the most it can hold; remove some first.`);
        await saveBook(session, entries);
        yield* session.say(`${replaced ? 'Lore updated' : 'Lore added'}: ${describeEntry(entry)}`);
      },
    },
    {
      name: 'list',
      description: 'List the lore entries',
      zh: { name: '列表', description: '列出设定条目' },
      options: [],
      async *run({ session }) {
        const { entries } = await readBook(session);
        if (entries.length === 0) return yield* session.say('There is no lore here yet. Add some with /lore add <key> <text>.', true);
        const shown = [...entries].sort((a, b) => Number(b.always) - Number(a.always) || a.key.localeCompare(b.key)).slice(0, 50);
        const lines = shown.map((e) => `• ${describeEntry(e, 90)} (by ${e.by})`);
        if (entries.length > shown.length) lines.push(`…and ${entries.length - shown.length} more.`);
        yield* session.say(`Lore (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}; /lore why shows what the last reply used):\n${lines.join('\n')}`, true);
      },
    },
    {
      name: 'why',
      description: 'Which lore entries the last reply used, and which were skipped for budget',
      zh: { name: '原因', description: '上次回复用了哪些设定' },
      options: [],
      async *run({ session }) {
        const { entries } = await readBook(session);
        const why = entries.length ? await readWhy(session) : undefined;
        yield* session.say(describeWhy(entries.length, why), true);
      },
    },
    {
      name: 'remove',
      description: 'Remove a lore entry',
      zh: { name: '删除', description: '删除设定条目' },
      options: [{ ...keyOption, description: 'The entry to remove (its key or an alias)', zh: { name: '关键词', description: '要删除的条目' } }],
      async *run({ options, session }) {
        const book = await readBook(session);
        const at = findEntry(book.entries, options.key!);
        const entry = book.entries[at];
        if (!entry) throw new UserFacingError('bad_input', `There is no lore entry "${options.key}" here; /lore list shows them.`);
        await saveBook(session, book.entries.filter((_, i) => i !== at));
        yield* session.say(`Lore removed: ${entry.key} (added by ${entry.by}), removed by ${session.speaker.name}.`);
      },
    },
    {
      name: 'import',
      description: 'Import a SillyTavern World Info file or the lore of a character card (JSON or PNG)',
      zh: { name: '导入', description: '导入 World Info 或角色卡中的设定' },
      options: [
        { name: 'file', description: 'World Info JSON, or a Character Card V2/V3 (JSON or PNG)', type: 'attachment', zh: { name: '文件', description: '要导入的文件' } },
        { name: 'path', description: 'A local file (terminal only)', maxLength: 500, zh: { name: '路径', description: '本地文件（仅终端）' } },
      ],
      async *run({ options, session }) {
        yield* session.say(await importLore(session, options.path));
      },
    },
    {
      name: 'clear',
      description: 'Remove every lore entry of this conversation',
      zh: { name: '清空', description: '删除本对话的所有设定' },
      managerOnly: true,
      options: [],
      async *run({ session }) {
        const { entries } = await readBook(session);
        await saveBook(session, []);
        yield* session.say(entries.length ? `All ${entries.length} lore ${entries.length === 1 ? 'entry was' : 'entries were'} removed.` : 'There was no lore here to remove.');
      },
    },
  ],
};

export default lore;
