import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, MAX_ENCODED } from '../../src/engine/actions.js';
import type { ActionRun } from '../../src/engine/parts.js';
import type { CommandSpec } from '../../src/engine/spec.js';
import { beatActions, storyActions } from '../../src/features/story/beat.js';
import { english } from '../../src/i18n/index.js';
import { shortId, type StoryState } from '../../src/features/story/state.js';
import { makeEngine, withFeatures } from '../support/engine.js';

describe('button actions: encoded in one place', () => {
  it('round-trips a command, its subcommand and options, whatever they contain', () => {
    const run: ActionRun = { command: 'story', sub: 'vote', options: { choice: 2, poll: 'a1b2c3d4' } };
    expect(encodeAction(run)).toBe('muse:story.vote?choice=2&poll=a1b2c3d4');
    expect(decodeAction(encodeAction(run))).toEqual({ command: { name: 'story', sub: 'vote', options: { choice: '2', poll: 'a1b2c3d4' } } });
    const odd: ActionRun = { command: 'a.b', options: { text: 'x & y = 100% 龙?', on: true } };
    expect(decodeAction(encodeAction(odd, 3))).toEqual({ command: { name: 'a.b', options: { text: 'x & y = 100% 龙?', on: 'true' } } });
    expect(encodeAction({ command: 'help' })).toBe('muse:help');
  });

  it('reads the command lines of buttons posted before actions were structured, and nothing else', () => {
    expect(decodeAction('muse:/story continue')).toEqual({ text: '/story continue' });
    expect(decodeAction('muse#2:/story version n:1 beat:3')).toEqual({ text: '/story version n:1 beat:3' });
    expect(decodeAction('/story undo')).toEqual({ text: '/story undo' });
    expect(decodeAction('other:story.undo')).toBeUndefined();
    expect(decodeAction('muse:a.b.c')).toBeUndefined();
    expect(decodeAction('muse:%E0%A4%A')).toBeUndefined();
  });

  it('throws on an action too long for a Discord custom_id (a programming error), with any copy number', () => {
    const long: ActionRun = { command: 'story', sub: 'vote', options: { poll: 'x'.repeat(80) } };
    expect(() => encodeAction(long)).toThrow(/buttons hold at most 92/);
    const fits: ActionRun = { command: 'x', options: { p: 'y'.repeat(88) } };
    expect(encodeAction(fits, 99).length).toBe(MAX_ENCODED);
    expect(() => encodeAction({ command: 'x', options: { p: 'y'.repeat(89) } })).toThrow(/buttons hold at most 92/);
    expect(() => encodeAction(fits, 100)).toThrow(/copy number/);
  });

  it('encodes every button a feature makes, at its worst: four long choices, a long poll id, many versions of a late beat', () => {
    // The story is the only feature with buttons (its beats: choices, versions, Continue / Retry / Undo).
    const state: StoryState = {
      premise: 'p',
      starterId: 'u',
      starterName: 'U',
      startedAt: 0,
      id: 'id',
      voteMs: 60_000,
      rounds: false,
      players: [],
      poll: { id: shortId(), choices: Array.from({ length: 4 }, (_, k) => `${k} ${'a very long choice '.repeat(20)}`), opensAt: 0, closesAt: 1, votes: {} },
      beat: { index: Number.MAX_SAFE_INTEGER, versions: Array.from({ length: 999 }, () => ({ text: 't', choices: [] })), shown: 998 },
    };
    const actions = [...beatActions(state, english), ...storyActions(english)];
    expect(actions.map((a) => a.id)).toEqual([
      'story.choice.1',
      'story.choice.2',
      'story.choice.3',
      'story.choice.4',
      'story.version.previous',
      'story.version.current',
      'story.version.next',
      'story.continue',
      'story.retry',
      'story.undo',
      'story.continue',
      'story.retry',
      'story.undo',
    ]);
    for (const action of actions) expect(encodeAction(action.run, 25).length).toBeLessThanOrEqual(MAX_ENCODED);
    expect(actions.filter((a) => a.typed).map((a) => a.typed)).toEqual(['1', '2', '3', '4']);
  });

  it('a command that makes a button it cannot encode fails loudly instead of losing the button', async () => {
    const bad: CommandSpec = {
      name: 'bad',
      description: 'makes an over-long button',
      options: [],
      async *run() {
        yield { type: 'actions', actions: [{ id: 'long', label: 'Long', run: { command: 'bad', options: { x: 'y'.repeat(200) } } }] };
        yield { type: 'done', text: '' };
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'bad', commands: [bad] }) });
    const reply = await t.send('/bad');
    expect(reply.parts.map((p) => p.type)).toEqual(['error']);
    expect(reply.error?.code).toBe('internal');
  });
});
