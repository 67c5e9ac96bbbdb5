import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { toDiscordCommands } from '../../src/adapters/discord/commands.js';
import { usageHint } from '../../src/adapters/slack/manifest.js';
import { command } from '../../src/engine/spec.js';
import { makeEngine, withFeatures } from '../support/engine.js';

/** Typed options: validated once in the engine, whatever form they come in, and typed for the handler. */
describe('engine: option types', () => {
  it('reads whole numbers and on/off from the text form', async () => {
    const { engine } = await makeEngine();
    expect(engine.plan({ text: '/story new a fox vote:30' })).toMatchObject({ options: { premise: 'a fox', vote: 30 } });
    expect(engine.plan({ text: '/tutor quiz questions:3' })).toMatchObject({ options: { questions: 3 } });
    for (const [word, value] of [
      ['on', true],
      ['yes', true],
      ['TRUE', true],
      ['off', false],
      ['no', false],
      ['false', false],
    ] as const) {
      expect(engine.plan({ text: `/lore add key:Ember a dragon always:${word}` })).toMatchObject({ options: { always: value } });
    }
    expect(engine.plan({ text: '/story vote 2 poll:ab12' })).toMatchObject({ options: { choice: 2, poll: 'ab12' } });
  });

  it('takes real numbers and booleans from a structured command (Discord, buttons)', async () => {
    const { engine } = await makeEngine();
    expect(engine.plan({ command: { name: 'story', sub: 'new', options: { premise: 'a fox', vote: 0 } } })).toMatchObject({ options: { vote: 0 } });
    expect(engine.plan({ command: { name: 'lore', sub: 'add', options: { key: 'Ember', text: 'a dragon', always: true } } })).toMatchObject({
      options: { always: true },
    });
    expect(engine.plan({ command: { name: 'story', sub: 'version', options: { n: '2', beat: '7' } } })).toMatchObject({ options: { n: 2, beat: 7 } });
  });

  it('refuses a value of the wrong type or out of bounds with one sentence', async () => {
    const { engine } = await makeEngine();
    const refusal = (input: Parameters<typeof engine.plan>[0]) => {
      const plan = engine.plan(input);
      return plan.kind === 'refusal' ? plan.part.message : undefined;
    };
    expect(refusal({ text: '/story new a fox vote:601' })).toBe(
      'The vote window is a whole number of seconds from 0 to 600 (0: the first vote decides), not "601".',
    );
    expect(refusal({ text: '/story new a fox vote:1.5' })).toBe(
      'The vote window is a whole number of seconds from 0 to 600 (0: the first vote decides), not "1.5".',
    );
    expect(refusal({ text: '/tutor quiz questions:9' })).toBe('The questions is a whole number from 1 to 5, not "9".');
    expect(refusal({ text: '/story vote 0' })).toBe('The choice is a whole number from 1 to 4, not "0".');
    expect(refusal({ command: { name: 'story', sub: 'new', options: { premise: 'a fox', vote: 2.5 } } })).toBe(
      'The vote window is a whole number of seconds from 0 to 600 (0: the first vote decides), not "2.5".',
    );
    expect(refusal({ command: { name: 'lore', sub: 'add', options: { key: 'k', text: 't', always: 'maybe' } } })).toBe(
      'The always "maybe" is not one of: on, off.',
    );
  });

  it('hands the handler typed values', async () => {
    const seen: unknown[] = [];
    const probe = command({
      name: 'probe',
      description: 'types',
      options: [
        { name: 'count', description: 'a count', type: 'integer', min: 1 },
        { name: 'ratio', description: 'a ratio', type: 'number', max: 1 },
        { name: 'loud', description: 'loud', type: 'boolean' },
        { name: 'note', description: 'a note', rest: true },
      ],
      async *run({ options, session }) {
        seen.push(options.count, options.ratio, options.loud, options.note);
        yield* session.say('ok');
      },
    });
    const t = await makeEngine({ features: withFeatures({ name: 'probe', commands: [probe] }) });
    expect((await t.send('/probe count:3 ratio:.5 loud:on hello there')).done).toBeTruthy();
    expect(seen).toEqual([3, 0.5, true, 'hello there']);
    expect((await t.send('/probe ratio:2')).error?.message).toBe('The ratio is a number of at most 1, not "2".');
    expect((await t.send('/probe count:-1')).error?.message).toBe('The count is a whole number of at least 1, not "-1".');
  });

  it('maps the types to Discord option types with bounds, and shows them in /help and the Slack usage hints', async () => {
    const body = toDiscordCommands(commands);
    const sub = (cmd: string, name: string) => (body.find((c) => c.name === cmd)!.options as any[]).find((o) => o.name === name);
    expect(sub('story', 'new').options.find((o: any) => o.name === 'vote')).toMatchObject({ type: 4, min_value: 0, max_value: 600, required: false });
    expect(sub('story', 'vote').options.find((o: any) => o.name === 'choice')).toMatchObject({ type: 4, min_value: 1, max_value: 4, required: true });
    expect(sub('tutor', 'quiz').options.find((o: any) => o.name === 'questions')).toMatchObject({ type: 4, min_value: 1, max_value: 5 });
    expect(sub('lore', 'add').options.find((o: any) => o.name === 'always')).toMatchObject({ type: 5 });
    expect(sub('lore', 'add').options.find((o: any) => o.name === 'always').min_value).toBeUndefined();

    const t = await makeEngine();
    const help = (await t.send('/help')).text;
    expect(help).toContain('/story new <premise> [persona] [vote] [rounds] [rating] [image]: Start a new story from a premise (vote: 0–600)');
    expect(help).toContain('/lore add <key> <text> [always]: Add or replace a lore entry (key "Ember|the red dragon" adds aliases) (always: on/off)');
    expect(usageHint(commands.find((c) => c.name === 'tutor')!)).toBe('start <subject> [level] | quiz [action] [questions:1–5] | progress | end');
  });
});
