import { describe, expect, it } from 'vitest';
import { alice, channel, makeEngine } from '../support/engine.js';

/** The engine resolves what was asked once (plan), checks it for a speaker, then runs it. */
describe('engine: plan, check, run', () => {
  it('resolves a command line once: the command, its options, what it requires, where it runs, whether it takes files', async () => {
    const { engine } = await makeEngine();
    const story = engine.plan({ text: '/story new a brave fox persona:storyteller' });
    expect(story).toMatchObject({
      kind: 'command',
      path: 'story new',
      options: { premise: 'a brave fox', persona: 'storyteller' },
      placement: 'thread',
      mainText: 'a brave fox',
      // A picture the story begins from, shown to the model.
      takesFiles: true,
      image: true,
      requires: [],
    });
    expect(engine.plan({ command: { name: 'tutor', sub: 'start', options: { subject: 'fractions' } } })).toMatchObject({
      kind: 'command',
      path: 'tutor start',
      placement: 'dm',
    });
    expect(engine.plan({ text: '/persona import' })).toMatchObject({ kind: 'command', requires: ['persona-import', 'manager'], takesFiles: true });
    expect(engine.plan({ text: '/persona show poet' })).toMatchObject({ kind: 'command', private: true });
    expect(engine.plan({ text: 'I open the door' })).toEqual({ kind: 'turn', text: 'I open the door' });
    expect(engine.plan({ text: '/dance' })).toEqual({
      kind: 'refusal',
      part: {
        type: 'error',
        code: 'bad_input',
        ephemeral: true,
        message: 'There is no command /dance. Type /help to see the commands.',
        text: { key: 'plan.unknownCommand', vars: { command: 'dance' } },
      },
    });
  });

  it('takes text that names a command without its slash as that command only when asked (a file came with it)', async () => {
    const { engine } = await makeEngine();
    expect(engine.plan({ text: 'lore import' })).toEqual({ kind: 'turn', text: 'lore import' });
    expect(engine.plan({ text: 'lore import' }, { bareCommand: true })).toMatchObject({ kind: 'command', path: 'lore import', takesFiles: true });
    expect(engine.plan({ text: 'look at this' }, { bareCommand: true })).toEqual({ kind: 'turn', text: 'look at this' });
  });

  it('asks whether the speaker may manage only for a command that requires it, and never in a DM', async () => {
    const t = await makeEngine();
    const asked: string[] = [];
    const canManage = (answer: boolean) => async () => {
      asked.push('asked');
      return answer;
    };
    expect((await t.send('/persona list', { canManage: canManage(false) })).done).toBeTruthy();
    expect((await t.send('hello', { canManage: canManage(false) })).done).toBeTruthy();
    expect(asked).toEqual([]);
    expect((await t.send('/persona use poet', { canManage: canManage(false), conversation: { ...channel, dm: true } })).done).toBeTruthy();
    expect(asked).toEqual([]);
    expect((await t.send('/persona use poet', { canManage: canManage(false) })).error?.code).toBe('forbidden');
    expect((await t.send('/persona use poet', { canManage: canManage(true) })).done).toBeTruthy();
    expect(asked).toEqual(['asked', 'asked']);
  });

  it('checks a plan before anything is done for it: permission first, then the personas it names', async () => {
    const { engine } = await makeEngine();
    const who = { conversation: channel, speaker: alice, canManage: () => false };
    expect(await engine.check(engine.plan({ text: '/persona use ghost' }), who)).toMatchObject({ kind: 'refusal', part: { code: 'forbidden' } });
    expect(await engine.check(engine.plan({ text: '/story new a fox persona:ghost' }), who)).toMatchObject({
      kind: 'refusal',
      part: { code: 'bad_input', message: 'There is no persona "ghost". Available: copywriter, poet, storyteller, tutor.' },
    });
    const ok = await engine.check(engine.plan({ text: '/story new a fox' }), who);
    expect(ok).toMatchObject({ kind: 'command', checked: true });
    // A checked plan runs as it is.
    const parts = [];
    for await (const part of engine.run(ok, { conversation: channel, speaker: alice })) parts.push(part.type);
    expect(parts.at(-1)).toBe('done');
  });

  it('suggests personas for an option that names one, and nothing for others', async () => {
    const { engine } = await makeEngine();
    const where = { conversation: channel, speaker: alice };
    expect((await engine.suggest({ command: 'persona', sub: 'use', option: 'name' }, 'po', where)).map((c) => c.value)).toEqual(['poet']);
    expect(await engine.suggest({ command: 'poem', option: 'topic' }, 'po', where)).toEqual([]);
  });
});
