import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/engine/conversation.js';
import type { JobHandler } from '../../src/engine/feature.js';
import type { CommandSpec } from '../../src/engine/spec.js';
import { openCoordination, type ClaimingJobStore } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeClock } from '../support/fake-clock.js';
import { channel, collect, makeEngine, withFeatures, type TestEngine } from '../support/engine.js';

/**
 * Several processes on one Redis: each is its own store connection, engine and clock (started at
 * the same time). Jobs are claimed, so a window closes once; records change by compare-and-set,
 * so no update is lost.
 */
const redisUrl = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const START = Date.UTC(2026, 0, 1);

const countdown: CommandSpec = {
  name: 'countdown',
  description: 'announce later',
  options: [],
  async *run({ session }) {
    await session.schedule('countdown', 60_000, { opened: session.now() });
    yield* session.say('Window open for 60 s.');
  },
};
const bump: CommandSpec = {
  name: 'bump',
  description: 'count in a shared record',
  options: [],
  async *run({ session }) {
    const n = await session.updateRecord<number>('shared-counter', (current) => (current ?? 0) + 1);
    yield* session.say(`now ${n}`);
  },
};
const jobs: Record<string, JobHandler> = {
  countdown: async function* (later) {
    yield* later.say(`Closed at +${(later.now() - START) / 1000} s.`);
  },
};
const features = withFeatures({ name: 'countdown', commands: [countdown, bump], jobs });

const stores: ConversationStore[] = [];
const engines: TestEngine[] = [];
afterEach(async () => {
  for (const t of engines.splice(0)) {
    t.engine.close();
    await t.engine.idle();
  }
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A Muse process on the shared Redis namespace: its outbox records what it announced. */
async function processOn(namespace: string, platform: string) {
  const store = await openStore(redisUrl, { namespace });
  stores.push(store);
  const clock = new FakeClock(START);
  const lateness: number[] = [];
  const t = await makeEngine({ store, clock, features });
  t.engine.observe({ schedulerLateness: (ms) => lateness.push(ms) });
  engines.push(t);
  const said: string[] = [];
  t.engine.attach(platform, async (_ref, parts) => {
    said.push((await collect(parts)).text);
  });
  const at: ConversationRef = { ...channel, platform };
  return { ...t, clock, said, lateness, at, tick: async (ms: number) => (clock.advance(ms), await t.engine.idle()) };
}

describe('engine: several processes on one Redis', () => {
  it('closes a window once when every process knows it and polls for it', async () => {
    const ns = `muse-claims-${randomUUID().slice(0, 8)}`;
    const platform = `p${randomUUID().slice(0, 6)}`;
    const [a, b, c] = [await processOn(ns, platform), await processOn(ns, platform), await processOn(ns, platform)];
    expect((await a.send('/countdown', { conversation: a.at })).text).toBe('Window open for 60 s.');
    // Every process knows the window (loaded at start) and polls for due jobs.
    for (const p of [a, b, c]) await p.engine.start([platform]);
    for (const p of [a, b, c]) await p.tick(59_000);
    expect([...a.said, ...b.said, ...c.said]).toEqual([]);
    // Each process's clock passes the deadline in turn; whoever claims first announces it.
    for (const p of [c, b, a]) await p.tick(2_000);
    for (const p of [a, b, c]) await p.tick(30_000);
    expect([...a.said, ...b.said, ...c.said]).toHaveLength(1);
    expect(await openCoordination(a.store).jobs.pending([platform])).toEqual([]);
  });

  it('a process that does not serve a job gives it back at once, and one that serves it runs it', async () => {
    const ns = `muse-claims-${randomUUID().slice(0, 8)}`;
    const platform = `p${randomUUID().slice(0, 6)}`;
    const first = await processOn(ns, platform);
    await first.send('/countdown', { conversation: first.at });
    first.engine.close(); // the process goes away; its window stays stored
    const [other, owner] = [await processOn(ns, platform), await processOn(ns, platform)];
    for (const p of [other, owner]) p.clock.jump(90_000);
    await other.engine.start([platform], { serves: () => false });
    expect(other.said).toEqual([]);
    await owner.engine.start([platform], { serves: (job) => job.conversation.channel === channel.channel });
    expect(owner.said).toEqual(['Closed at +90 s.']);
    expect(owner.lateness).toEqual([30_000]);
    expect(other.lateness).toEqual([]);
  });

  it('loses no record update when processes change one record at the same moment', async () => {
    const ns = `muse-claims-${randomUUID().slice(0, 8)}`;
    const platform = `p${randomUUID().slice(0, 6)}`;
    const procs = [await processOn(ns, platform), await processOn(ns, platform), await processOn(ns, platform)];
    const bumps = Array.from({ length: 24 }, (_, n) =>
      procs[n % 3]!.send('/bump', { conversation: { ...procs[0]!.at, channel: `c${n}` } }).then((r) => r.text),
    );
    const said = await Promise.all(bumps);
    expect(await procs[0]!.store.getRecord('shared-counter')).toBe(24);
    expect(new Set(said).size).toBe(24); // each saw its own count
  });
});

describe('engine: the scheduler when the store is down at start', () => {
  it('keeps polling, and runs the overdue window once the store answers again', async () => {
    const store = await openStore('memory://');
    stores.push(store);
    const coordination = openCoordination(store);
    let down = false;
    const failing =
      <T extends unknown[], R>(work: (...args: T) => Promise<R>) =>
      (...args: T) =>
        down ? Promise.reject(new Error('the store is down')) : work(...args);
    const jobs = Object.assign(Object.create(coordination.jobs) as ClaimingJobStore, {
      pending: failing(coordination.jobs.pending.bind(coordination.jobs)),
      claim: failing(coordination.jobs.claim.bind(coordination.jobs)),
    });
    const clock = new FakeClock(START);
    const first = await makeEngine({ store, clock, features, coordination: { ...coordination, jobs } });
    await first.send('/countdown');
    first.engine.close(); // the process that opened the window is gone

    const t = await makeEngine({ store, clock, features, coordination: { ...coordination, jobs } });
    engines.push(t);
    const said: string[] = [];
    t.engine.attach(channel.platform, async (_ref, parts) => {
      said.push((await collect(parts)).text);
    });
    clock.jump(61_000);
    down = true;
    await t.engine.start([channel.platform]);
    expect(said).toEqual([]);
    down = false;
    clock.advance(2_000);
    await t.engine.idle();
    expect(said).toEqual(['Closed at +63 s.']); // by the poll during those 2 s
  });
});
