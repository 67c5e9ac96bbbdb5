import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import type { StructuredCommand } from '../../src/engine/plan.js';
import { FakeClock } from '../support/fake-clock.js';
import type { Stored } from '../support/fake-discord.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

/** The real /story commands end to end: a beat with choice buttons, votes by clicks, the result announced. */
const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall';

const run = runInteraction;

const customIds = (m: Stored): string[][] => m.components.map((row: any) => row.components.map((b: any) => b.custom_id));
/** What each button of a row asks for (decoded as a click is). */
const actionsOf = (m: Stored, row: number) => customIds(m)[row]!.map((id) => decodeAction(id)!.command!);
const find = (m: Stored, test: (c: StructuredCommand) => boolean) =>
  customIds(m)
    .flat()
    .find((id) => test(decodeAction(id)!.command!))!;
const choiceId = (m: Stored, n: number) => find(m, (c) => c.sub === 'vote' && c.options?.choice === String(n));
const versionId = (m: Stored, n: number) => find(m, (c) => c.sub === 'version' && c.options?.n === String(n));

describe('discord: /story votes by buttons (real story commands)', () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await startHarness({ clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('three players vote by clicking the beat in its thread; the result and the next beat are announced there', async () => {
    const carol = h.fake.addUser('carol', 'Carol');
    h.backend.push(BEAT);
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'A brave fox' } }));
    const threadId = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === 'A brave fox')!.id as string;
    const beat = h.fake.messagesIn(threadId)[0]!;
    // The choices on the first row, as primary buttons.
    const poll = actionsOf(beat, 0)[0]!.options!.poll;
    expect(actionsOf(beat, 0)).toEqual([1, 2, 3].map((n) => ({ name: 'story', sub: 'vote', options: { choice: String(n), poll } })));
    expect(beat.components[0].components.every((b: any) => b.style === 1)).toBe(true);

    // Dave joins but does not vote, so the window stays open until the clock closes it.
    const dave = h.fake.addUser('dave', 'Dave');
    for (const who of [h.fake.bob, carol, dave]) await run(h, () => h.fake.slash({ name: 'story', subcommand: 'join', user: who, channelId: threadId }));
    const votes: Array<[typeof carol, number]> = [
      [h.fake.alice, 2],
      [h.fake.bob, 2],
      [carol, 1],
    ];
    for (const [who, n] of votes) {
      const { replies } = await run(h, () => h.fake.click({ message: beat, customId: choiceId(beat, n), user: who }));
      expect(replies).toHaveLength(1);
      expect(replies[0]!.flags & 64).toBe(64);
      expect(replies[0]!.content).toMatch(new RegExp(`^${who.global_name} votes for ${n}\\.`));
    }
    const before = h.fake.messagesIn(threadId).filter((m) => !(m.flags & 64)).length;
    h.backend.push('The right path climbs into the hills.');
    clock.advance(60_000);
    await h.engine.idle();
    const announced = h.fake
      .messagesIn(threadId)
      .filter((m) => !(m.flags & 64))
      .slice(before);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.content).toContain('The vote is closed: 2. "Take the right path" wins with 2 of 3 votes. Votes: Carol → 1; Alice, Bob → 2.');
    expect(announced[0]!.content).toContain('The right path climbs into the hills.');
    expect(h.backend.lastCall!.messages.at(-1)!.content).toContain('Take the right path');
  });

  it('‹ › flips between versions of a beat in place', async () => {
    const threadId = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === 'A brave fox')!.id as string;
    h.backend.push('A second telling of the hills.');
    const retry = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'retry', channelId: threadId }));
    const beat = retry.replies.at(-1)!;
    expect(beat.content).toContain('A second telling of the hills.');
    const flip = versionId(beat, 1);
    const click = await run(h, () => h.fake.click({ message: beat, customId: flip, user: h.fake.bob }));
    expect(click.replies).toHaveLength(0); // nothing new: the clicked message changed
    const now = h.fake.messages.get(beat.id)!;
    expect(now.content).toContain('The right path climbs into the hills.');
    expect(now.content).not.toContain('A second telling');
    expect(versionId(now, 2)).toBeDefined();
  });
});
