import { CARD_FILES } from '../src/cards/upload.js';
import { subcommand, type CommandSpec } from '../src/engine/spec.js';
import { importPersona } from '../src/features/persona/import.js';
import { listPersonas, removePersona, usePersona } from '../src/features/persona/manage.js';
import { showPersona } from '../src/features/persona/show.js';

const nameOption = {
  name: 'name',
  description: 'Persona name',
  required: true,
  autocomplete: 'persona',
  zh: { name: '名称', description: '角色名称' },
} as const;

const persona: CommandSpec = {
  name: 'persona',
  description: 'List, show, switch, import or remove personas',
  zh: { name: '角色', description: '查看或切换角色' },
  subcommands: [
    {
      name: 'list',
      description: 'List the personas',
      zh: { name: '列表', description: '列出所有角色' },
      options: [],
      run: ({ session }) => listPersonas(session),
    },
    subcommand({
      name: 'show',
      description: "Show a persona's settings and prompt (only to you)",
      zh: { name: '查看', description: '查看角色设定（仅自己可见）' },
      private: true,
      options: [nameOption],
      run: ({ options, session }) => showPersona(session, options.name),
    }),
    subcommand({
      name: 'use',
      description: 'Switch the persona for this conversation',
      zh: { name: '使用', description: '为本对话切换角色' },
      requires: ['manager'],
      options: [nameOption],
      run: ({ options, session }) => usePersona(session, options.name),
    }),
    subcommand({
      name: 'import',
      description: 'Add a persona for this server or workspace from a Character Card V2/V3 (JSON or PNG)',
      zh: { name: '导入', description: '从角色卡（JSON 或 PNG）为本服务器或工作区导入角色' },
      // Imports belong to the server or workspace (in DMs, to the user); operators may switch them off.
      requires: ['persona-import', 'manager'],
      options: [
        {
          name: 'file',
          description: 'The character card (JSON or PNG)',
          type: 'attachment',
          accept: CARD_FILES,
          zh: { name: '文件', description: '角色卡文件' },
        },
        { name: 'path', description: 'A local file (terminal only)', maxLength: 500, zh: { name: '路径', description: '本地文件（仅终端）' } },
        { name: 'name', description: "The persona's name (default: from the card's name)", maxLength: 32, zh: { name: '名称', description: '角色名称' } },
        {
          name: 'mode',
          description: 'Chat in character (default) or narrate a story',
          choices: [
            { value: 'chat', label: 'chat', labelZh: '聊天' },
            { value: 'story', label: 'story', labelZh: '故事' },
          ],
          zh: { name: '模式', description: '聊天或讲故事' },
        },
      ],
      async *run({ options, session }) {
        yield* session.say(await importPersona(session, options));
      },
    }),
    subcommand({
      name: 'remove',
      description: 'Remove a persona imported here (not a built-in one)',
      zh: { name: '删除', description: '删除在此导入的角色（内置角色除外）' },
      requires: ['manager'],
      options: [nameOption],
      run: ({ options, session }) => removePersona(session, options.name),
    }),
  ],
};

export default persona;
