import type { CommandSpec } from '../src/engine/spec.js';

const nameOption = { name: 'name', description: 'Persona name', required: true, autocomplete: 'persona' as const, zh: { name: '名称', description: '角色名称' } };

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
      async *run({ session }) {
        const current = session.meta.persona;
        const lines = session.personas.list().map((p) => `${p.name === current ? '▸' : '•'} ${p.name} (${p.mode}): ${p.description}`);
        for (const e of session.personas.loadErrors()) lines.push(`✗ ${e.file} could not be loaded: ${e.message}`);
        yield* session.say(`Personas (▸ is in use here):\n${lines.join('\n')}`);
      },
    },
    {
      name: 'show',
      description: "Show a persona's settings and prompt",
      zh: { name: '查看', description: '查看角色设定' },
      options: [nameOption],
      async *run({ options, session }) {
        const p = session.requirePersona(options.name!);
        const head = `${p.name} (${p.mode}): ${p.description}\ntemperature ${p.temperature}, up to ${p.maxOutputTokens} tokens a reply, from ${p.file}\nGreeting: ${p.greeting}`;
        yield* session.say(`${head}\n\nPrompt:\n${p.prompt}`);
      },
    },
    {
      name: 'use',
      description: 'Switch the persona for this conversation',
      zh: { name: '使用', description: '为本对话切换角色' },
      managerOnly: true,
      options: [nameOption],
      async *run({ options, session }) {
        const p = session.requirePersona(options.name!);
        await session.commitMeta({ ...session.meta, persona: p.name });
        yield* session.say(`Muse is now the ${p.name} here. ${p.greeting}`);
      },
    },
  ],
};

export default persona;
