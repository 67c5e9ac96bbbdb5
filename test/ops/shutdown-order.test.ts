import { describe, expect, it } from 'vitest';
import { Health } from '../../src/ops/health.js';
import { shutdown, type Drainable } from '../../src/ops/shutdown.js';

/** An adapter that records what the shutdown asked of it, with work in flight until `finish()`. */
function adapter(name: string, events: string[]) {
  let finish!: () => void;
  const busy = new Promise<void>((resolve) => (finish = resolve));
  const a: Drainable = {
    name,
    pause: () => void events.push(`${name} paused`),
    idle: () => busy,
    stop: async () => void events.push(`${name} stopped`),
  };
  return { adapter: a, finish };
}

const log = { info() {}, warn() {} };

describe('shutdown order', () => {
  it('not ready, paused, drained, then stopped, leases released and closed; nothing aborted when the work finishes in time', async () => {
    const events: string[] = [];
    const health = new Health();
    const discord = adapter('discord', events);
    let aborted = -1;
    const done = shutdown({
      health,
      adapters: [discord.adapter],
      turns: { idle: async () => undefined, abort: () => (aborted = 0) },
      releaseLeases: async () => void events.push('leases released'),
      close: async () => void events.push('closed'),
      log,
      drainMs: 10_000,
    });
    await expect.poll(() => events).toEqual(['discord paused']);
    expect((await health.readiness()).ready).toBe(false);
    discord.finish();
    await done;
    expect(events).toEqual(['discord paused', 'discord stopped', 'leases released', 'closed']);
    expect(aborted).toBe(0);
  });

  it('past the drain, the turns still running are stopped and the adapters still get time to post the sentence', async () => {
    const events: string[] = [];
    const slack = adapter('slack', events);
    let turnsEnd!: () => void;
    const turnsEnded = new Promise<void>((resolve) => (turnsEnd = resolve));
    const done = shutdown({
      health: new Health(),
      adapters: [slack.adapter],
      turns: {
        idle: () => turnsEnded,
        abort: () => {
          events.push('turns stopped');
          turnsEnd();
          slack.finish();
          return 1;
        },
      },
      releaseLeases: async () => void events.push('leases released'),
      close: async () => void events.push('closed'),
      log,
      drainMs: 50,
    });
    await done;
    expect(events).toEqual(['slack paused', 'turns stopped', 'slack stopped', 'leases released', 'closed']);
  });
});
