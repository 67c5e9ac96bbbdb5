import type { StorySettings } from '../src/engine/prompt.js';
import { UserFacingError, type ReplyAction } from '../src/engine/parts.js';
import type { CommandSpec } from '../src/engine/spec.js';
import { storyMarkdown } from '../src/engine/export.js';

export const STORY_ACTIONS: ReplyAction[] = [
  { id: 'story.continue', label: 'Continue', command: '/story continue' },
  { id: 'story.retry', label: 'Retry', command: '/story retry' },
  { id: 'story.undo', label: 'Undo', command: '/story undo' },
];

const story: CommandSpec = {
  name: 'story',
  description: 'Tell an interactive story together',
  zh: { name: '故事', description: '一起讲一个互动故事' },
  subcommands: [
    {
      name: 'new',
      description: 'Start a new story from a premise',
      zh: { name: '新故事', description: '从一个设定开始新故事' },
      options: [
        { name: 'premise', description: 'What the story is about', required: true, rest: true, maxLength: 1000, zh: { name: '设定', description: '故事讲什么' } },
        { name: 'persona', description: 'Who narrates (default: storyteller)', autocomplete: 'persona', zh: { name: '角色', description: '由谁讲述' } },
      ],
      async *run({ options, session }) {
        const persona = session.requirePersona(options.persona ?? 'storyteller');
        const settings: { story: StorySettings } = {
          story: { premise: options.premise!, starterId: session.speaker.id, starterName: session.speaker.name, startedAt: Date.now() },
        };
        const meta = session.freshMeta(persona.name, settings);
        yield* session.reply({ meta, persona, turn: session.userTurn(`Begin a new story. Premise: ${options.premise}`, 'story.new'), actions: STORY_ACTIONS });
      },
    },
    {
      name: 'continue',
      description: 'Go on without a player action, optionally in a direction',
      zh: { name: '继续', description: '继续讲下去' },
      options: [{ name: 'direction', description: 'Where the story should go next', rest: true, maxLength: 1000, zh: { name: '方向', description: '接下来的方向' } }],
      async *run({ options, session }) {
        const text = options.direction ? `Continue the story. Direction: ${options.direction}` : 'Continue the story.';
        yield* session.reply({ turn: session.userTurn(text, 'story.continue'), actions: STORY_ACTIONS });
      },
    },
    {
      name: 'retry',
      description: 'Write the last beat again',
      zh: { name: '重写', description: '重写上一段' },
      options: [],
      async *run({ session }) {
        const m = session.meta;
        if (m.count - m.base < 2) throw new UserFacingError('bad_input', 'There is no beat to retry yet; start one with /story new.');
        const [asked, answered] = await session.readTurns(m.count - 2, m.count);
        if (!asked || asked.role !== 'user' || answered?.role !== 'assistant') throw new UserFacingError('bad_input', 'The last beat cannot be retried.');
        const meta = { ...m, count: m.count - 2, summarizedUpTo: Math.min(m.summarizedUpTo, m.count - 2) };
        yield* session.reply({ meta, turn: asked, actions: STORY_ACTIONS });
      },
    },
    {
      name: 'undo',
      description: 'Remove the last beat and the action that led to it',
      zh: { name: '撤销', description: '撤销上一段' },
      options: [],
      async *run({ session }) {
        const m = session.meta;
        if (m.count - m.base < 2) throw new UserFacingError('bad_input', 'There is nothing to undo in this story.');
        await session.commitMeta({ ...m, count: m.count - 2, summarizedUpTo: Math.min(m.summarizedUpTo, m.count - 2) });
        yield* session.say('The last beat was removed. Write what happens instead, or use /story continue.');
      },
    },
    {
      name: 'export',
      description: 'Download the story so far as Markdown',
      zh: { name: '导出', description: '把故事导出为 Markdown' },
      options: [],
      async *run({ session }) {
        const m = session.meta;
        if (m.count - m.base === 0) throw new UserFacingError('bad_input', 'There is no story to export yet; start one with /story new.');
        const turns = await session.readTurns(m.base, m.count);
        const file = storyMarkdown(m, turns);
        yield { type: 'file', file };
        yield* session.say(`Here is the story so far (${turns.filter((t) => t.role === 'assistant').length} beats) as ${file.name}.`);
      },
    },
  ],
};

export default story;
