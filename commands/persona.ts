import { CARD_FILES } from '../src/cards/upload.js';
import { subcommand, type CommandSpec } from '../src/engine/spec.js';
import { importPersona } from '../src/features/persona/import.js';
import { listPersonas, showPersona, usePersona } from '../src/features/persona/manage.js';

const nameOption = {
  name: 'name',
  description: 'Persona name',
  required: true,
  autocomplete: 'persona',
  zh: { name: '名称', description: '角色名称' },
} as const;

const persona: CommandSpec = {
  name: 'persona',
  description: 'List, show or switch personas',
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
      description: "Show a persona's settings and prompt",
      zh: { name: '查看', description: '查看角色设定' },
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
      description: 'Add a persona from a Character Card V2/V3 (JSON or PNG)',
      zh: { name: '导入', description: '从角色卡（JSON 或 PNG）导入角色' },
      // Persona files are shared by every conversation this Muse serves.
      requires: ['manager'],
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
  ],
};

export default persona;
