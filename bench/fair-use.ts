/**
 * Fair-use overheads (4/6), measured here, never asserted in tests:
 *   limiter_overhead_p99_ms     one RateLimits.take() (user + workspace, default limits) on a
 *                               SQLite file opened as the store opens it (WAL, synchronous=NORMAL)
 *   moderation_overhead_p99_ms  one OpenAI moderation check through the SDK against the loopback
 *                               fake with a fixed 10 ms latency, minus the time the fake itself
 *                               took to answer that request (what Muse, the SDK and loopback
 *                               HTTP add on top)
 *   moderation_http_baseline_p99_ms  the same, for a bare fetch() of the same endpoint, measured
 *                               in turns with the checks: the part no client can avoid on this
 *                               machine (a shared machine's load shows here too)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createRateLimits } from '../src/limits/rate-limits.js';
import { defaultLimit } from '../src/limits/rule.js';
import { createOpenAIModerator } from '../src/model/moderation-openai.js';
import { startFakeOpenAI } from '../test/support/fake-openai-server.js';
import { percentile, sortNumbers } from './support.js';

const LIMITER_CALLS = 5_000;
const MODERATION_CALLS = 300;
const SERVER_LATENCY_MS = 10;

export async function benchFairUse(): Promise<Record<string, number>> {
  const limiter = await limiterOverhead();
  const moderation = await moderationOverhead();
  return {
    limiter_overhead_p50_ms: round3(limiter.p50),
    limiter_overhead_p99_ms: round3(limiter.p99),
    moderation_overhead_p50_ms: round3(moderation.p50),
    moderation_overhead_p99_ms: round3(moderation.p99),
    moderation_http_baseline_p99_ms: round3(moderation.baselineP99),
  };
}

async function limiterOverhead(): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'muse-bench-limits-'));
  const db = new Database(join(dir, 'muse.sqlite'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  try {
    const limits = await createRateLimits({ user: defaultLimit('20/10m'), workspace: defaultLimit('300/10m'), backend: { kind: 'sqlite', db } });
    // 1,000 users in 50 workspaces: nobody reaches a limit, every call writes both counts.
    const who = (i: number) => ({ user: `bench:user:${i % 1000}`, workspace: `bench:ws:${i % 50}` });
    for (let i = 0; i < 500; i++) await limits.take(who(i));
    const times: number[] = [];
    for (let i = 0; i < LIMITER_CALLS; i++) {
      const start = performance.now();
      const result = await limits.take(who(i + 7));
      times.push(performance.now() - start);
      if (!result.ok) throw new Error('the bench reached a limit');
    }
    const sorted = sortNumbers(times);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function moderationOverhead(): Promise<{ p50: number; p99: number; baselineP99: number }> {
  const fake = await startFakeOpenAI();
  try {
    fake.moderation.delayMs = SERVER_LATENCY_MS;
    fake.moderation.flag('dragon', ['violence']);
    const moderator = createOpenAIModerator({ apiKey: 'sk-bench', baseURL: fake.url });
    const text = (i: number) => (i % 10 === 0 ? `The dragon attacks, turn ${i}.` : `A quiet walk by the river, turn ${i}.`);
    for (let i = 0; i < 20; i++) await moderator.check(text(i));
    const onTop = async (call: () => Promise<unknown>) => {
      const served = fake.moderation.servedMs.length;
      const start = performance.now();
      await call();
      return performance.now() - start - (fake.moderation.servedMs[served] ?? SERVER_LATENCY_MS);
    };
    const bare = (i: number) => async () => {
      const response = await fetch(`${fake.url}/moderations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
        body: JSON.stringify({ model: 'omni-moderation-latest', input: text(i) }),
      });
      return response.json();
    };
    const times: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < MODERATION_CALLS; i++) {
      times.push(await onTop(() => moderator.check(text(i))));
      baseline.push(await onTop(bare(i)));
    }
    const sorted = sortNumbers(times);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), baselineP99: percentile(sortNumbers(baseline), 99) };
  } finally {
    await fake.close();
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchFairUse();
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k}: ${v}\n`);
}
