import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ROUND_CHARS } from '../../src/features/story/round.js';
import { MAX_VERSIONS } from '../../src/features/story/versions.js';
import { alice, bob } from '../support/engine.js';
import { BEAT, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

describe('story: bounded state', () => {
  it(`keeps at most ${MAX_VERSIONS} versions of a beat; retry beyond says so and changes nothing`, async () => {
    t = await storyEngine();
    t.backend.push('Opening.');
    await t.send('/story new a brave fox');
    for (let v = 2; v <= MAX_VERSIONS; v++) {
      t.backend.push(`Opening ${v}.`);
      expect((await t.send('/story retry')).done).toBeTruthy();
    }
    expect((await t.state()).beat?.versions).toHaveLength(MAX_VERSIONS);
    const calls = t.backend.calls.length;
    const refused = await t.send('/story retry');
    expect(refused.error).toMatchObject({
      code: 'bad_input',
      message: `The last beat already has ${MAX_VERSIONS} versions, the most Muse keeps for one beat; flip between them with ‹ › (/story version n), or move the story on.`,
    });
    expect(t.backend.calls).toHaveLength(calls);
    expect((await t.state()).beat?.versions).toHaveLength(MAX_VERSIONS);
  });

  it(`holds at most ${MAX_ROUND_CHARS} characters of one player's actions in a round, with a sentence`, async () => {
    t = await storyEngine();
    t.backend.push(BEAT);
    await t.send('/story new a siege rounds:on vote:30');
    const long = 'I run '.repeat(120).trim(); // 719 characters
    expect((await t.as(alice, long)).done).toBeTruthy();
    const more = await t.as(alice, long);
    expect(more.error).toMatchObject({
      code: 'bad_input',
      message: `Your part of this round would be 1,439 characters; a player's part holds at most ${MAX_ROUND_CHARS.toLocaleString('en-US')}, so this was not added. Say it in fewer words.`,
    });
    expect((await t.as(bob, 'x'.repeat(MAX_ROUND_CHARS + 1))).error?.code).toBe('bad_input');
    expect((await t.as(bob, 'I hide')).done).toBeTruthy();
    expect((await t.state()).round?.actions.map((a) => [a.name, a.text.length])).toEqual([
      ['Alice', long.length],
      ['Bob', 6],
    ]);
  });
});
