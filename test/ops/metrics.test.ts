import { describe, expect, it } from 'vitest';
import { createRateLimits } from '../../src/limits/rate-limits.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { decisionHooks } from '../../src/ops/observer.js';
import { moderate } from '../../src/safety/policy.js';
import type { Moderator } from '../../src/safety/moderation.js';
import { makeEngine } from '../support/engine.js';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('every metric is named muse_… and the observer calls show up', async () => {
    const m = createMetrics();
    m.observer.inFlight(1);
    m.observer.inFlight(1);
    m.observer.inFlight(-1);
    m.observer.turn('done', 1.5);
    m.observer.turn('model', 0.2);
    m.observer.leaseWait(40);
    m.observer.leaseLost();
    m.observer.conflict();
    m.observer.conflict();
    m.observer.duplicate('slack_event');
    m.observer.lateness(1500);
    m.observer.decision('flagged_input', { stage: 'input', rating: 'all-ages', action: 'block', category: 'violence', user: 'U123' });
    const text = await m.render();
    const names = text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ')[2]!);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !n.startsWith('muse_'))).toEqual([]);
    expect(sample(text, 'muse_turns_in_flight')).toBe(1);
    expect(sample(text, 'muse_turns_total{outcome="done"}')).toBe(1);
    expect(sample(text, 'muse_turns_total{outcome="model"}')).toBe(1);
    expect(sample(text, 'muse_turn_seconds_count')).toBe(2);
    expect(sample(text, 'muse_turn_seconds_sum')).toBeCloseTo(1.7);
    expect(sample(text, 'muse_turn_seconds_bucket{le="1"}')).toBe(1);
    expect(sample(text, 'muse_lease_wait_seconds_sum')).toBeCloseTo(0.04);
    expect(sample(text, 'muse_leases_lost_total')).toBe(1);
    expect(sample(text, 'muse_cas_conflicts_total')).toBe(2);
    expect(sample(text, 'muse_duplicates_suppressed_total{source="slack_event"}')).toBe(1);
    expect(sample(text, 'muse_scheduler_lateness_seconds_sum')).toBeCloseTo(1.5);
    // Only the known labels: an id given by mistake never becomes a label.
    expect(sample(text, 'muse_decisions_total{kind="flagged_input",stage="input",rating="all-ages",action="block",category="violence"}')).toBe(1);
    expect(text).not.toContain('U123');
    expect(names).toContain('muse_nodejs_eventloop_lag_seconds');
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it('counts the turns the engine runs', async () => {
    const m = createMetrics();
    const t = await makeEngine({ observer: m.observer });
    await t.send('hello');
    await t.send('');
    const text = await m.render();
    expect(sample(text, 'muse_turns_total{outcome="done"}')).toBe(1);
    expect(sample(text, 'muse_turns_total{outcome="bad_input"}')).toBe(1);
    expect(sample(text, 'muse_turn_seconds_count')).toBe(2);
    expect(sample(text, 'muse_turns_in_flight')).toBe(0);
  });

  it("counts the 4/6 libraries' refusals and flags through their onDecision hook", async () => {
    const m = createMetrics();
    const hooks = decisionHooks(m.observer);
    const limits = await createRateLimits({
      user: { rule: { points: 1, durationMs: 60_000 }, explicit: true },
      workspace: { rule: undefined, explicit: false },
      backend: { kind: 'memory' },
      hooks,
    });
    await limits.take({ user: 'u1', workspace: 'w' });
    await limits.take({ user: 'u1', workspace: 'w' });
    const flagsAll: Moderator = { kind: 'model', check: async () => ({ flagged: true, categories: ['violence'] }) };
    await moderate(flagsAll, 'text', { rating: 'all-ages', stage: 'output', hooks });
    const text = await m.render();
    expect(sample(text, 'muse_decisions_total{kind="rate_limited",scope="user"}')).toBe(1);
    expect(text).toMatch(/^muse_decisions_total\{kind="flagged_output",stage="output",rating="all-ages",action="[a-z_]+",category="violence"\} 1$/m);
  });
});
