import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordJobStore } from '../../src/memory/record-job-store.js';
import { openCoordination, type ClaimingJobStore } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import { StoreUnavailableError, type ConversationStore } from '../../src/memory/types.js';
import { FakeClock } from '../support/fake-clock.js';
import { alice, bob, channel } from '../support/engine.js';
import { BEAT, carol, choiceButton, key, storyEngine, type StoryTest } from './helpers.js';

/** Vote and round windows are stored jobs: they survive a restart and close once. */
const dir = mkdtempSync(join(tmpdir(), 'muse-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newFile = () => `sqlite://${join(dir, `muse-${++files}.sqlite`)}`;

const running: Array<{ t: StoryTest; store: ConversationStore }> = [];
/** A Muse process on the SQLite file: its own store connection, engine and fake clock. */
async function processOn(file: string, at: number) {
  const store = await openStore(file);
  const t = await storyEngine({ store, clock: new FakeClock(at) });
  running.push({ t, store });
  return t;
}
/** The process stops: its timers are gone, its store is closed. */
async function stop(t: StoryTest) {
  const i = running.findIndex((r) => r.t === t);
  const [r] = running.splice(i, 1);
  await r!.t.close();
  await r!.store.close();
}
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.t.close();
    await r.store.close();
  }
});

const stored = (store: ConversationStore) => new RecordJobStore(store).pending(['test']);
const storedJobs = async (store: ConversationStore) => (await stored(store)).map(({ name, dueAt, data }) => ({ name, dueAt, data }));

/** A story in the test channel whose opening beat has three choices; Bob has joined, so one vote does not decide. */
async function openVote(t: StoryTest, command = '/story new a brave fox') {
  t.backend.push(BEAT);
  const opening = await t.send(command);
  await t.as(bob, '/story join');
  return opening;
}

describe('story windows as stored jobs', () => {
  it('a vote window survives a restart: the start-up sweep closes it and announces it once; a second start does not', async () => {
    const file = newFile();
    const start = Date.UTC(2026, 0, 1);
    const first = await processOn(file, start);
    const opening = await openVote(first);
    await first.as(alice, choiceButton(opening, 2));
    const poll = (await first.state()).poll!;
    expect(await storedJobs(first.store)).toEqual([{ name: 'story.poll', dueAt: poll.closesAt, data: { pollId: poll.id } }]);
    await stop(first);

    // Muse was down when the window closed; it comes back 90 s after the vote opened.
    const second = await processOn(file, start + 90_000);
    second.backend.push('The right path climbs into the hills.');
    await second.engine.start(['discord', 'slack']); // another platform's process leaves it alone
    expect(second.outbox).toHaveLength(0);
    await second.engine.start(['test']);
    expect(second.outbox).toHaveLength(1);
    expect(second.outbox[0]!.ref).toEqual(channel);
    expect(second.outbox[0]!.reply.text).toBe(
      'The vote is closed: 2. "Take the right path" wins with 1 of 1 vote. Votes: Alice → 2.\n\nThe right path climbs into the hills.',
    );
    expect(second.userMessages().at(-1)).toContain('The players chose: Take the right path.');
    expect((await second.state()).poll).toBeUndefined();
    expect(await stored(second.store)).toEqual([]);
    await second.tick(120_000);
    expect(second.outbox).toHaveLength(1);
    await stop(second);

    const third = await processOn(file, start + 200_000);
    await third.engine.start(['test']);
    expect(third.outbox).toHaveLength(0);
    expect(third.backend.calls).toHaveLength(0);
  });

  it('a window that is not yet due after a restart still closes on time', async () => {
    const file = newFile();
    const start = Date.UTC(2026, 0, 1);
    const first = await processOn(file, start);
    const opening = await openVote(first);
    await first.as(bob, choiceButton(opening, 3));
    await stop(first);

    const second = await processOn(file, start + 30_000);
    await second.engine.start(['test']);
    expect(second.outbox).toHaveLength(0);
    second.backend.push('Night falls.');
    await second.tick(29_999);
    expect(second.outbox).toHaveLength(0);
    await second.tick(1);
    expect(second.outbox.map((o) => o.reply.text)).toEqual([
      'The vote is closed: 3. "Wait for nightfall" wins with 1 of 1 vote. Votes: Bob → 3.\n\nNight falls.',
    ]);
    expect(await stored(second.store)).toEqual([]);
  });

  it('an action round survives a restart the same way: overdue at start, or on time', async () => {
    const file = newFile();
    const start = Date.UTC(2026, 0, 1);
    const first = await processOn(file, start);
    first.backend.push(BEAT);
    await first.send('/story new a siege rounds:on vote:30');
    await first.as(bob, 'I climb the wall');
    const round = (await first.state()).round!;
    expect(await storedJobs(first.store)).toEqual([{ name: 'story.round', dueAt: round.closesAt, data: { roundId: round.id } }]);
    await stop(first);

    const early = await processOn(file, start + 10_000);
    await early.engine.start(['test']);
    expect(early.outbox).toHaveLength(0);
    expect((await early.as(carol, 'I sing')).text).toBe('Noted, Carol (2 actions this round; 20 s left).');
    await stop(early);

    const late = await processOn(file, start + 45_000);
    late.backend.push('Bob reaches the top while Carol sings.');
    await late.engine.start(['test']);
    expect(late.outbox.map((o) => o.reply.text)).toEqual(['The round is closed (Bob, Carol).\n\nBob reaches the top while Carol sings.']);
    expect(late.userMessages().at(-1)).toContain('- Bob: I climb the wall\n- Carol: I sing');
    expect((await late.state()).round).toBeUndefined();
    expect(await stored(late.store)).toEqual([]);
  });

  it('a turn in the conversation closes an overdue window first, announced once (the timer that was late finds it closed)', async () => {
    const clock = new FakeClock();
    const t = await storyEngine({ clock });
    running.push({ t, store: t.store });
    const opening = await openVote(t);
    await t.as(alice, choiceButton(opening, 1));
    t.backend.push('The left path is muddy.');
    clock.jump(61_000); // the window's end passed, but its timer has not run yet
    const joined = await t.as(carol, '/story join');
    expect(t.outbox.map((o) => o.reply.text)).toEqual([
      'The vote is closed: 1. "Take the left path" wins with 1 of 1 vote. Votes: Alice → 1.\n\nThe left path is muddy.',
    ]);
    expect(joined.text).toBe('Carol joins the story.');
    expect((await t.state()).poll).toBeUndefined();
    await t.tick(120_000); // the late timer was disarmed
    expect(t.outbox).toHaveLength(1);
    expect(t.backend.calls).toHaveLength(2);
    expect(await stored(t.store)).toEqual([]);
  });

  it('a window closed by a turn is not announced again by the sweep of the next start', async () => {
    const file = newFile();
    const start = Date.UTC(2026, 0, 1);
    const first = await processOn(file, start);
    const opening = await openVote(first);
    await first.as(alice, choiceButton(opening, 2));
    await stop(first);

    // Back after the window's end: a vote arrives before the sweep has run (the hook closes it in the reply).
    const second = await processOn(file, start + 70_000);
    second.backend.push('The right path, at last.');
    const late = await second.as(bob, choiceButton(opening, 1));
    expect(late.text).toContain("The vote had already closed, so Bob's vote was not counted.");
    expect(late.text).toContain('"Take the right path" wins with 1 of 1 vote.');
    await second.engine.start(['test']);
    expect(second.outbox).toHaveLength(0);
    expect(await stored(second.store)).toEqual([]);
  });

  it('a window whose story has gone (a lesson took the conversation over) closes without a word', async () => {
    const clock = new FakeClock();
    const t = await storyEngine({ clock });
    running.push({ t, store: t.store });
    await openVote(t);
    expect((await t.send('/tutor fractions')).done).toBeTruthy();
    const calls = t.backend.calls.length;
    await t.tick(60_000);
    expect(t.outbox).toHaveLength(0); // the job ran, found no vote, and said nothing
    expect(t.backend.calls).toHaveLength(calls);
    expect(await stored(t.store)).toEqual([]);
  });

  it('a job replaced by a newer poll is not run; the newer one is', async () => {
    const clock = new FakeClock();
    const t = await storyEngine({ clock });
    running.push({ t, store: t.store });
    await openVote(t);
    const old = (await t.state()).poll!;
    await t.tick(30_000);
    t.backend.push(BEAT);
    await t.send('/story continue'); // a new beat with new choices: a new poll replaces the open one
    const poll = (await t.state()).poll!;
    expect(poll.id).not.toBe(old.id);
    expect(await storedJobs(t.store)).toEqual([{ name: 'story.poll', dueAt: poll.closesAt, data: { pollId: poll.id } }]);
    await t.tick(30_000); // the old window's end
    expect(t.outbox).toHaveLength(0);
    expect((await t.state()).poll!.id).toBe(poll.id);
    await t.tick(30_000);
    expect(t.outbox.map((o) => o.reply.text)).toEqual(['The vote closed with no votes. Write what happens next, or use /story continue.']);
  });

  it("/memory clear and /story new cancel the conversation's jobs", async () => {
    const clock = new FakeClock();
    const t = await storyEngine({ clock });
    running.push({ t, store: t.store });
    await openVote(t);
    expect(await stored(t.store)).toHaveLength(1);
    await t.send('/memory clear');
    expect(await stored(t.store)).toEqual([]);
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);

    t.backend.push(BEAT);
    await t.send('/story new a siege rounds:on');
    await t.as(bob, 'I climb the wall');
    expect((await storedJobs(t.store)).map((j) => j.name)).toEqual(['story.round']);
    t.backend.push('A quiet morning.'); // no choices: nothing to vote on
    await t.send('/story new a quiet morning');
    expect(await stored(t.store)).toEqual([]);
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);
  });

  it('a beat whose window cannot be stored is not saved: no vote is left open without its deadline', async () => {
    const store = await openStore('memory://');
    // A store whose jobs cannot be written (the rest works).
    const coordination = openCoordination(store);
    const jobs: ClaimingJobStore = Object.assign(Object.create(coordination.jobs) as ClaimingJobStore, {
      put: () => Promise.reject(new StoreUnavailableError()),
    });
    const t = await storyEngine({ store, coordination: { ...coordination, jobs } });
    running.push({ t, store });
    t.backend.push(BEAT);
    const reply = await t.send('/story new a brave fox');
    expect(reply.error).toMatchObject({ code: 'store' });
    expect(await store.getMeta(key)).toBeUndefined();
    t.backend.push('A quiet morning.'); // a beat without choices opens no window and is saved
    expect((await t.send('/story new a quiet morning')).done).toBeTruthy();
    expect((await t.state()).premise).toBe('a quiet morning');
  });
});
