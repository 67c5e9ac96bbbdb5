import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import { FakeClock } from '../support/fake-clock.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from './harness.js';

/** The real /story commands end to end: a beat with choice buttons, votes by clicks, the result announced. */
const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall';
const CAROL = 'UCAROL';
const DAVE = 'UDAVE';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Button = { action_id: string; value: string; style?: string };
const buttons = (m: FakeMessage) => (m.blocks ?? []).filter((b) => b.type === 'actions').map((b) => (b as unknown as { elements: Button[] }).elements);

async function click(m: FakeMessage, b: Button, user: string) {
  await h.sender.click(b, { user, channel: m.channel, message: { ts: m.ts, text: m.text, blocks: m.blocks! } });
  await h.bolt.idle();
}

async function command(name: string, text: string, user: string) {
  await h.sender.command(name, text, { user, channel: CHANNEL });
  await h.bolt.idle();
}

describe('Slack: /story votes by buttons (real story commands)', () => {
  it('three players vote by clicking the beat; the result and the next beat are announced in the channel', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock });
    h.slack.users.set(CAROL, { name: 'Carol' });
    h.slack.users.set(DAVE, { name: 'Dave' });
    h.backend.push(BEAT);
    await command('/story', 'new a brave fox', ALICE);
    const beat = h.slack.museMessages(CHANNEL).at(-1)!;
    const choices = buttons(beat)[0]!;
    const poll = decodeAction(choices[0]!.value)!.command!.options!.poll;
    expect(choices.map((b) => [decodeAction(b.value), b.style])).toEqual(
      [1, 2, 3].map((n) => [{ command: { name: 'story', sub: 'vote', options: { choice: String(n), poll } } }, 'primary']),
    );
    await command('/story', 'join', BOB);
    await command('/story', 'join', CAROL);
    await command('/story', 'join', DAVE); // joins but does not vote: the window stays open until the clock closes it
    const posted = h.slack.museMessages(CHANNEL).length;

    await click(beat, choices[1]!, ALICE);
    await click(beat, choices[1]!, BOB);
    await click(beat, choices[0]!, CAROL);
    const acks = h.slack.callsOf('chat.postEphemeral').map((c) => [c.args.user, String(c.args.text).split('.')[0]]);
    expect(acks).toEqual([
      [ALICE, 'Alice votes for 2'],
      [BOB, 'Bob votes for 2'],
      [CAROL, 'Carol votes for 1'],
    ]);
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(posted);
    expect(buttons(h.slack.museMessages(CHANNEL).find((m) => m.ts === beat.ts)!)).not.toHaveLength(0);

    h.backend.push('The right path climbs into the hills.');
    clock.advance(60_000);
    await h.engine.idle();
    const announced = h.slack.museMessages(CHANNEL).slice(posted);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.text).toContain('The vote is closed: 2. "Take the right path" wins with 2 of 3 votes. Votes: Carol → 1; Alice, Bob → 2.');
    expect(announced[0]!.text).toContain('The right path climbs into the hills.');

    // Retry, then flip back to the first version in place.
    h.backend.push('A second telling of the hills.');
    await command('/story', 'retry', ALICE);
    const retried = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(retried.text).toContain('A second telling of the hills.');
    const back = buttons(retried)
      .flat()
      .find((b) => decodeAction(b.value)?.command?.sub === 'version' && decodeAction(b.value)?.command?.options?.n === '1')!;
    const count = h.slack.museMessages(CHANNEL).length;
    await click(retried, back, BOB);
    const now = h.slack.museMessages(CHANNEL);
    expect(now).toHaveLength(count);
    const flipped = now.find((m) => m.ts === retried.ts)!;
    expect(flipped.text).toContain('The right path climbs into the hills.');
    expect(flipped.text).not.toContain('A second telling');
  });
});
