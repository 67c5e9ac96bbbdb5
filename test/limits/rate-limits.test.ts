import { randomUUID } from 'node:crypto';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CachedSQLiteLimiter, createRateLimits, rateLimitSentence, type RateLimitsOptions } from '../../src/limits/rate-limits.js';
import { defaultLimit, parseLimitRule, type LimitSetting } from '../../src/limits/rule.js';
import type { DecisionKind, DecisionLabels } from '../../src/safety/decisions.js';
import { testBackends } from './backends.js';

const limit = (text: string, explicit = true): LimitSetting => {
  const rule = parseLimitRule(text);
  if (rule === undefined) throw new Error(text);
  return { rule: rule === 'off' ? undefined : rule, explicit };
};

for (const backend of testBackends()) {
  describe(`RateLimits on ${backend.name}`, () => {
    afterAll(() => backend.close());
    // Each test counts under its own prefix, so runs and tests never share counts.
    const make = async (options: Partial<RateLimitsOptions>) =>
      createRateLimits({ user: limit('off'), workspace: limit('off'), backend: await backend.open(), ...options });

    it('refuses a user past the user limit, says when to try again, and still serves another user', async () => {
      const prefix = `t-${randomUUID()}`;
      const counted: Array<[DecisionKind, DecisionLabels]> = [];
      const limits = await make({ prefix, user: limit('3/10m'), hooks: { onDecision: (k, l) => void counted.push([k, l]) } });
      for (let i = 0; i < 3; i++) expect(await limits.take({ user: 'u1', workspace: 'w' })).toEqual({ ok: true });
      const refused = await limits.take({ user: 'u1', workspace: 'w' });
      expect(refused).toMatchObject({ ok: false, scope: 'user', points: 3, durationMs: 600_000 });
      if (refused.ok) throw new Error('refused');
      expect(refused.retryAfterMs).toBeGreaterThan(590_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(600_000);
      expect(rateLimitSentence(refused)).toBe('You have used your 3 requests for 10 minutes; try again in 10 minutes.');
      expect(await limits.take({ user: 'u2', workspace: 'w' })).toEqual({ ok: true });
      expect(counted).toEqual([['rate_limited', { scope: 'user' }]]);
    });

    it("refuses past the workspace limit and gives the user's point back", async () => {
      const prefix = `t-${randomUUID()}`;
      const limits = await make({ prefix, user: limit('1/1h'), workspace: limit('1/1h') });
      expect(await limits.take({ user: 'a', workspace: 'w1' })).toEqual({ ok: true });
      expect(await limits.take({ user: 'b', workspace: 'w1' })).toMatchObject({ ok: false, scope: 'workspace', points: 1, durationMs: 3_600_000 });
      // b's point came back, so b still has its one request elsewhere.
      expect(await limits.take({ user: 'b', workspace: 'w2' })).toEqual({ ok: true });
      expect(await limits.take({ user: 'b', workspace: 'w3' })).toMatchObject({ ok: false, scope: 'user' });
    });

    it('exempts the terminal from limits that were not set explicitly', async () => {
      const prefix = `t-${randomUUID()}`;
      const defaults = await make({ prefix, user: { ...limit('1/10m'), explicit: false }, workspace: defaultLimit('300/10m') });
      for (let i = 0; i < 3; i++) expect(await defaults.take({ user: 'me', workspace: 'me', exempt: true })).toEqual({ ok: true });
      const explicit = await make({ prefix: `t-${randomUUID()}`, user: limit('1/10m') });
      expect(await explicit.take({ user: 'me', workspace: 'me', exempt: true })).toEqual({ ok: true });
      expect(await explicit.take({ user: 'me', workspace: 'me', exempt: true })).toMatchObject({ ok: false, scope: 'user' });
    });

    it('never refuses with both limits off', async () => {
      const limits = await make({ prefix: `t-${randomUUID()}` });
      for (let i = 0; i < 50; i++) expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
    });

    if (backend.name !== 'memory') {
      it('shares the count between two separately created RateLimits on the same store', async () => {
        const prefix = `t-${randomUUID()}`;
        const first = await make({ prefix, user: limit('2/10m'), workspace: limit('3/10m') });
        const second = await make({ prefix, user: limit('2/10m'), workspace: limit('3/10m') });
        expect(await first.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
        expect(await second.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
        expect(await first.take({ user: 'u', workspace: 'w' })).toMatchObject({ ok: false, scope: 'user' });
        expect(await second.take({ user: 'v', workspace: 'w' })).toEqual({ ok: true });
        expect(await first.take({ user: 'x', workspace: 'w' })).toMatchObject({ ok: false, scope: 'workspace' });
      });
    }
  });
}

describe('RateLimits windows and failures', () => {
  afterEach(() => vi.useRealTimers());

  it.each(['memory', 'sqlite'] as const)('a window ends after its duration (%s, clock moved)', async (kind) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 1, 12) });
    const backend = kind === 'memory' ? ({ kind } as const) : ({ kind, db: new Database(':memory:') } as const);
    const limits = await createRateLimits({ user: limit('2/1m'), workspace: limit('off'), backend });
    await limits.take({ user: 'u', workspace: 'w' });
    vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 30));
    await limits.take({ user: 'u', workspace: 'w' });
    const refused = await limits.take({ user: 'u', workspace: 'w' });
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 30_000 });
    if (!refused.ok) expect(rateLimitSentence(refused)).toBe('You have used your 2 requests for a minute; try again in 30 seconds.');
    vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 1, 0, 1));
    expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
  });

  it('counts in the process when the store fails, and logs that once', async () => {
    const db = new Database(':memory:');
    const warnings: string[] = [];
    const limits = await createRateLimits({
      user: limit('2/10m'),
      workspace: limit('5/10m'),
      backend: { kind: 'sqlite', db },
      logger: { warn: (_o, msg) => void warnings.push(msg ?? '') },
    });
    db.close();
    expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
    expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
    expect(await limits.take({ user: 'u', workspace: 'w' })).toMatchObject({ ok: false, scope: 'user' });
    expect(warnings).toEqual(['rate limit store failed; counting in this process']);
  });

  it('answers at once from the process when Redis is gone', async () => {
    const client = createClient({ url: process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', disableOfflineQueue: true });
    await client.connect();
    const warnings: string[] = [];
    const limits = await createRateLimits({
      prefix: `t-${randomUUID()}`,
      user: limit('1/10m'),
      workspace: limit('off'),
      backend: { kind: 'redis', client },
      logger: { warn: (_o, msg) => void warnings.push(msg ?? '') },
    });
    expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true });
    client.destroy();
    expect(await limits.take({ user: 'u', workspace: 'w' })).toEqual({ ok: true }); // the process's own count starts empty
    expect(await limits.take({ user: 'u', workspace: 'w' })).toMatchObject({ ok: false, scope: 'user' });
    expect(warnings).toHaveLength(1);
  });

  it('keeps long ids apart without passing the key length Postgres allows', async () => {
    const limits = await createRateLimits({ user: limit('1/10m'), workspace: limit('off'), backend: { kind: 'memory' } });
    const long = 'x'.repeat(300);
    expect(await limits.take({ user: `${long}a`, workspace: 'w' })).toEqual({ ok: true });
    expect(await limits.take({ user: `${long}b`, workspace: 'w' })).toEqual({ ok: true });
    expect(await limits.take({ user: `${long}a`, workspace: 'w' })).toMatchObject({ ok: false });
  });
});

describe('CachedSQLiteLimiter', () => {
  it("overrides a method rate-limiter-flexible's SQLite limiter still has", () => {
    const base = Object.getPrototypeOf(CachedSQLiteLimiter.prototype) as Record<string, unknown>;
    expect(typeof base['_upsertTransactionBetterSQLite3']).toBe('function');
  });
});

describe('rateLimitSentence', () => {
  it('names the limit and the wait in plain words', () => {
    const base = { ok: false as const, retryAfterMs: 200_000, points: 300, durationMs: 600_000 };
    expect(rateLimitSentence({ ...base, scope: 'workspace' })).toBe('This workspace has used its 300 requests for 10 minutes; try again in 4 minutes.');
    expect(rateLimitSentence({ ...base, scope: 'workspace' }, { workspaceWord: 'server' })).toMatch(/^This server has used its 300 requests/);
    expect(rateLimitSentence({ ...base, scope: 'user', points: 1, durationMs: 86_400_000, retryAfterMs: 5_400_000 })).toBe(
      'You have used your 1 request for a day; try again in 2 hours.',
    );
    expect(rateLimitSentence({ ...base, scope: 'user', retryAfterMs: 0 })).toMatch(/try again in 1 second\.$/);
  });
});
