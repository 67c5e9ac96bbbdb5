import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetSentence, createTokenBudget, type TokenBudgetOptions } from '../../src/limits/budget.js';
import type { DecisionKind } from '../../src/safety/decisions.js';
import { testBackends } from './backends.js';

const NOON = Date.UTC(2026, 2, 14, 12);
const HOUR = 3_600_000;

for (const backend of testBackends()) {
  describe(`token budget on ${backend.name}`, () => {
    afterAll(() => backend.close());
    let clock = NOON;
    const make = async (options: Partial<TokenBudgetOptions> = {}) =>
      createTokenBudget({ backend: await backend.open(), prefix: `t-${randomUUID()}`, now: () => clock, ...options });
    // Workspace names unique per test: the SQL tables are shared by every run.
    const ws = () => `w-${randomUUID()}`;

    it('counts per workspace and per user in it, for the UTC day', async () => {
      clock = NOON;
      const budget = await make();
      const [w1, w2] = [ws(), ws()];
      await budget.add({ workspace: w1, user: 'ann', tokens: 120 });
      await budget.add({ workspace: w1, user: 'bob', tokens: 30 });
      await budget.add({ workspace: w1, user: 'ann', tokens: 50 });
      await budget.add({ workspace: w2, user: 'ann', tokens: 7 });
      expect(await budget.usage({ workspace: w1, user: 'ann' })).toEqual({ workspaceTokens: 200, userTokens: 170, day: '2026-03-14' });
      expect(await budget.usage({ workspace: w1, user: 'bob' })).toEqual({ workspaceTokens: 200, userTokens: 30, day: '2026-03-14' });
      expect(await budget.usage({ workspace: w2, user: 'ann' })).toEqual({ workspaceTokens: 7, userTokens: 7, day: '2026-03-14' });
      expect(await budget.usage({ workspace: ws(), user: 'ann' })).toMatchObject({ workspaceTokens: 0, userTokens: 0 });
    });

    it('says a workspace is past its budget, and starts again after midnight UTC', async () => {
      clock = Date.UTC(2026, 2, 14, 23, 59);
      const decisions: DecisionKind[] = [];
      const budget = await make({ limit: 100, hooks: { onDecision: (kind) => void decisions.push(kind) } });
      const w = ws();
      await budget.add({ workspace: w, user: 'ann', tokens: 99 });
      expect(await budget.exceeded(w)).toBe(false);
      await budget.add({ workspace: w, user: 'bob', tokens: 1 });
      expect(await budget.exceeded(w)).toBe(true);
      expect(await budget.exceeded(ws())).toBe(false);
      expect(decisions).toEqual(['budget']);
      clock = Date.UTC(2026, 2, 15, 0, 0, 1);
      expect(await budget.exceeded(w)).toBe(false);
      expect(await budget.usage({ workspace: w, user: 'ann' })).toEqual({ workspaceTokens: 0, userTokens: 0, day: '2026-03-15' });
    });

    it('ignores counts that are not positive numbers, and rounds', async () => {
      clock = NOON;
      const budget = await make();
      const w = ws();
      for (const tokens of [0, -5, Number.NaN, Infinity]) await budget.add({ workspace: w, user: 'ann', tokens });
      await budget.add({ workspace: w, user: 'ann', tokens: 2.6 });
      expect(await budget.usage({ workspace: w, user: 'ann' })).toMatchObject({ workspaceTokens: 3, userTokens: 3 });
    });

    it('without a limit, counts but never says exceeded', async () => {
      clock = NOON;
      const budget = await make();
      const w = ws();
      await budget.add({ workspace: w, user: 'ann', tokens: 1e9 });
      expect(budget.limit).toBeUndefined();
      expect(await budget.exceeded(w)).toBe(false);
    });

    if (backend.name !== 'memory') {
      it('shares counts between two budgets on the same store', async () => {
        clock = NOON;
        const prefix = `t-${randomUUID()}`;
        const first = await make({ prefix, limit: 10 });
        const second = await make({ prefix, limit: 10 });
        const w = ws();
        await first.add({ workspace: w, user: 'ann', tokens: 6 });
        await second.add({ workspace: w, user: 'ann', tokens: 4 });
        expect(await first.exceeded(w)).toBe(true);
        expect(await second.usage({ workspace: w, user: 'ann' })).toMatchObject({ workspaceTokens: 10, userTokens: 10 });
      });
    }

    it('forgets days older than two days', async () => {
      const prefix = `t-${randomUUID()}`;
      const w = ws();
      clock = Date.UTC(2026, 2, 10, 12);
      const budget = await make({ prefix });
      await budget.add({ workspace: w, user: 'ann', tokens: 5 });
      clock = Date.UTC(2026, 2, 13, 12);
      await budget.add({ workspace: w, user: 'ann', tokens: 1 }); // the first add of a day sweeps
      clock = Date.UTC(2026, 2, 10, 12);
      expect(await budget.usage({ workspace: w, user: 'ann' })).toMatchObject({ workspaceTokens: backend.name === 'redis' ? 5 : 0 });
    });
  });
}

describe('token budget', () => {
  it('sets a Redis expiry of the rest of the day plus two days', async () => {
    const [, , redis] = testBackends();
    const backend = await redis!.open();
    if (backend.kind !== 'redis') throw new Error('redis');
    const prefix = `t-${randomUUID()}`;
    const budget = await createTokenBudget({ backend, prefix, now: () => Date.UTC(2026, 2, 14, 18) });
    await budget.add({ workspace: 'w', user: 'ann', tokens: 5 });
    const ttl = Number(await backend.client.eval("return redis.call('PTTL', KEYS[1])", { keys: [`${prefix}:budget:{w}:2026-03-14`], arguments: [] }));
    expect(ttl).toBeGreaterThan(54 * HOUR - 60_000);
    expect(ttl).toBeLessThanOrEqual(54 * HOUR);
    await redis!.close();
  });

  it('does not throw from add() or exceeded() when the store fails, and logs', async () => {
    const db = new Database(':memory:');
    const warnings: string[] = [];
    const budget = await createTokenBudget({ backend: { kind: 'sqlite', db }, limit: 1, logger: { warn: (_o, msg) => void warnings.push(msg ?? '') } });
    db.close();
    await budget.add({ workspace: 'w', user: 'u', tokens: 5 });
    expect(await budget.exceeded('w')).toBe(false);
    await expect(budget.usage({ workspace: 'w', user: 'u' })).rejects.toThrow();
    expect(warnings).toEqual(['token budget store failed; this usage is not counted', 'token budget store failed; not enforcing the budget for this turn']);
  });

  it('budgetSentence says the budget and when it resets', () => {
    expect(budgetSentence(100_000, { now: Date.UTC(2026, 2, 14, 19, 30) })).toBe(
      'This workspace has used its 100,000 tokens for today; the budget resets at midnight UTC, in 5 hours.',
    );
    expect(budgetSentence(500, { now: Date.UTC(2026, 2, 14, 23, 58), workspaceWord: 'server' })).toBe(
      'This server has used its 500 tokens for today; the budget resets at midnight UTC, in 2 minutes.',
    );
  });
});
