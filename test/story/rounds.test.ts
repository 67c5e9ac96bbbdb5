import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob } from '../support/engine.js';
import { BEAT, carol, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

async function start(command = '/story new a siege rounds:on vote:30') {
  t = await storyEngine();
  t.backend.push(BEAT);
  await t.send(command);
}

describe('story: action rounds', () => {
  it('collects every action until the window closes, then one beat weaves them together by name', async () => {
    await start();
    expect((await t.state()).rounds).toBe(true);
    const calls = t.backend.calls.length;
    const first = await t.as(alice, 'I draw my sword');
    expect(first.text).toBe(
      'The vote is cancelled: Alice wrote their own action.\n\nNoted, Alice. A round is open: everyone has 30 s to add an action, then Muse tells what happens (Alice can end it early with /story close).',
    );
    expect((await t.as(bob, 'I hide behind the cart')).text).toBe('Noted, Bob (2 actions this round; 30 s left).');
    await t.tick(10_000);
    expect((await t.as(carol, 'I sing\nloudly')).text).toBe('Noted, Carol (3 actions this round; 20 s left).');
    expect((await t.as(bob, 'and wait')).text).toBe('Noted, Bob (3 actions this round; 20 s left).');
    expect(t.backend.calls).toHaveLength(calls); // acknowledged, not narrated
    t.backend.push('Alice charges, Bob waits behind the cart and Carol sings.');
    await t.tick(19_999);
    expect(t.outbox).toHaveLength(0);
    await t.tick(1);
    expect(t.outbox).toHaveLength(1);
    expect(t.outbox[0]!.reply.text).toBe('The round is closed (Alice, Bob, Carol).\n\nAlice charges, Bob waits behind the cart and Carol sings.');
    const asked = t.userMessages().at(-1)!;
    expect(asked).toContain('- Alice: I draw my sword\n- Bob: I hide behind the cart and wait\n- Carol: I sing loudly');
    expect(asked).toContain('naming each player (Alice, Bob, Carol)');
    expect((await t.state()).round).toBeUndefined();
    expect((await t.state()).players.map((p) => p.name)).toEqual(['Alice', 'Bob', 'Carol']);
    // The next message opens a new round.
    expect((await t.as(bob, 'I run')).text).toMatch(/^Noted, Bob\. A round is open/);
  });

  it('the starter can close a round early; others cannot; retry waits for it', async () => {
    await start('/story new a siege rounds:on');
    await t.as(bob, 'I climb the wall');
    expect((await t.as(bob, '/story close')).error?.code).toBe('forbidden');
    expect((await t.as(bob, '/story retry')).error?.message).toMatch(/^A round is collecting actions/);
    t.backend.push('Bob reaches the top.');
    const closed = await t.as(alice, '/story close');
    expect(closed.text).toBe('The round is closed (Bob).\n\nBob reaches the top.');
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);
  });

  it('without rounds each message is its own beat', async () => {
    t = await storyEngine();
    await t.send('/story new a siege');
    await t.as(bob, 'I climb the wall');
    expect(t.userMessages().at(-1)).toBe('Bob: I climb the wall');
    expect((await t.state()).round).toBeUndefined();
  });
});
