import { describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/engine/conversation.js';
import type { JobHandler, TurnHook } from '../../src/engine/feature.js';
import { RecordJobStore } from '../../src/memory/record-job-store.js';
import type { ReplyPart } from '../../src/engine/parts.js';
import type { CommandSpec } from '../../src/engine/spec.js';
import { FakeClock } from '../support/fake-clock.js';
import { channel, collect, makeEngine, withFeatures } from '../support/engine.js';

// A command that opens a 60-second window and announces when it closes (a scheduled job).
const countdown: CommandSpec = {
  name: 'countdown',
  description: 'announce later',
  options: [],
  async *run({ session }) {
    await session.schedule('countdown', 60_000, { opened: session.now() });
    yield* session.say('Window open for 60 s.');
  },
};
const jobs: Record<string, JobHandler> = {
  countdown: async function* (later, job) {
    yield* later.say(`Closed after ${(later.now() - Number(job.data.opened)) / 1000} s (${later.speaker.name} speaking).`);
  },
};

describe('engine: announcements, timers and turn hooks', () => {
  it('runs a scheduled announcement when the clock reaches it and sends it to the platform outbox', async () => {
    const clock = new FakeClock();
    const t = await makeEngine({ features: withFeatures({ name: 'countdown', commands: [countdown], jobs }), clock });
    const seen: Array<{ ref: ConversationRef; parts: ReplyPart[] }> = [];
    t.engine.attach('test', async (ref, parts) => {
      seen.push({ ref, parts: (await collect(parts)).parts });
    });
    expect((await t.send('/countdown')).text).toBe('Window open for 60 s.');
    clock.advance(59_999);
    await t.engine.idle();
    expect(seen).toHaveLength(0);
    clock.advance(1);
    await t.engine.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.ref).toEqual(channel);
    expect(seen[0]!.parts).toEqual([
      { type: 'message', text: 'Closed after 60 s (Muse speaking).' },
      { type: 'done', text: 'Closed after 60 s (Muse speaking).' },
    ]);
  });

  it('a second schedule with the same id replaces the first; close() cancels', async () => {
    const clock = new FakeClock();
    const t = await makeEngine({ features: withFeatures({ name: 'countdown', commands: [countdown], jobs }), clock });
    const seen: string[] = [];
    t.engine.attach('test', async (_ref, parts) => {
      seen.push((await collect(parts)).text);
    });
    await t.send('/countdown');
    clock.advance(30_000);
    await t.send('/countdown');
    clock.advance(30_000);
    await t.engine.idle();
    expect(seen).toEqual([]);
    clock.advance(30_000);
    await t.engine.idle();
    expect(seen).toEqual(['Closed after 60 s (Muse speaking).']);
    await t.send('/countdown');
    t.engine.close();
    clock.advance(120_000);
    await t.engine.idle();
    expect(seen).toHaveLength(1);
  });

  it('refuses to schedule a job that has no handler', async () => {
    const orphan: CommandSpec = {
      name: 'orphan',
      description: 'schedules a job nobody handles',
      options: [],
      async *run({ session }) {
        await session.schedule('nobody.handles', 1000);
        yield* session.say('scheduled');
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'orphan', commands: [orphan], jobs }) });
    expect((await t.send('/orphan')).error?.code).toBe('internal');
    expect(await new RecordJobStore(t.store).pending(['test'])).toEqual([]);
  });

  it('a job that fails stays stored, and the next turn in the conversation runs it again', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const flaky: Record<string, JobHandler> = {
      countdown: async function* (later) {
        if (++attempts === 1) throw new Error('the model server is down');
        yield* later.say(`Closed on attempt ${attempts}.`);
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'countdown', commands: [countdown], jobs: flaky }), clock });
    const seen: string[] = [];
    t.engine.attach('test', async (_ref, parts) => {
      const reply = await collect(parts);
      seen.push(reply.error?.message ?? reply.text);
    });
    await t.send('/countdown');
    clock.advance(60_000);
    await t.engine.idle();
    expect(seen).toEqual(['Something went wrong inside Muse, so nothing was saved; the details are in the log.']);
    expect(await new RecordJobStore(t.store).pending(['test'])).toHaveLength(1);
    expect((await t.send('/help')).done).toBeTruthy();
    expect(seen).toEqual(['Something went wrong inside Muse, so nothing was saved; the details are in the log.', 'Closed on attempt 2.']);
    expect(await new RecordJobStore(t.store).pending(['test'])).toEqual([]);
  });

  it('started without timers (one-shot), a job is only stored; the next start or turn runs it when due', async () => {
    const clock = new FakeClock();
    const t = await makeEngine({ features: withFeatures({ name: 'countdown', commands: [countdown], jobs }), clock });
    const seen: string[] = [];
    t.engine.attach('test', async (_ref, parts) => {
      seen.push((await collect(parts)).text);
    });
    await t.engine.start(['test'], { timers: false });
    await t.send('/countdown');
    expect(clock.pending).toBe(0); // nothing in process waits for it
    expect(await new RecordJobStore(t.store).pending(['test'])).toHaveLength(1);
    clock.jump(60_000);
    await t.send('/help');
    expect(seen).toEqual(['Closed after 60 s (Muse speaking).']);
  });

  it('a turn hook may claim a plain message; others become turns', async () => {
    const hook: TurnHook = (session, text) => (/^\d+$/.test(text) ? session.say(`You picked ${text}.`) : undefined);
    const t = await makeEngine({ features: withFeatures({ name: 'picker', turnHooks: [hook] }) });
    expect((await t.send('2')).text).toBe('You picked 2.');
    expect(t.backend.calls).toHaveLength(0);
    expect((await t.send('I open the door')).done).toBeTruthy();
    expect(t.backend.calls).toHaveLength(1);
  });
});
