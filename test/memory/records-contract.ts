/**
 * Contract for record compare-and-set and dedupe (coordination.ts), run on every backend; over
 * a shared backend the two sides are two clients, standing in for two processes.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StoreConflictError } from '../../src/memory/types.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { sleep, twoSides } from './lease-contract.js';

export function runRecordsContract(name: string, open: () => Promise<ConversationStore>): void {
  describe(`records: ${name}`, () => {
    const { sides } = twoSides(open);
    const key = (): string => `record:${randomUUID()}`;

    it('creates, changes and deletes a record, seen by getRecord and setRecord alike', async () => {
      const [a] = await sides();
      const k = key();
      expect(await a.coordination.records.update<{ xp: number }>(k, (current) => ({ xp: (current?.xp ?? 0) + 3 }))).toEqual({ xp: 3 });
      expect(await a.store.getRecord(k)).toEqual({ xp: 3 });
      await a.store.setRecord(k, { xp: 10, topics: ['fractions'] });
      expect(await a.coordination.records.update<{ xp: number }>(k, (current) => ({ ...current, xp: (current?.xp ?? 0) + 1 }))).toEqual({
        xp: 11,
        topics: ['fractions'],
      });
      expect(await a.coordination.records.update(k, () => undefined)).toBeUndefined();
      expect(await a.store.getRecord(k)).toBeUndefined();
      expect(await a.coordination.records.update(k, (current) => current)).toBeUndefined(); // absent stays absent
    });

    it('loses none of 50 concurrent increments made through two sides', async () => {
      const [a, b] = await sides();
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, n) => (n % 2 ? a : b).coordination.records.update<number>(k, (current) => (current ?? 0) + 1, { maxAttempts: 500 })),
      );
      expect(await a.store.getRecord(k)).toBe(50);
      expect(new Set(results).size).toBe(50); // each increment saw a different value
    });

    it('writes exactly the updates it reports, when attempts run out', async () => {
      const [a, b] = await sides();
      const k = key();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, n) => (n % 2 ? a : b).coordination.records.update<number>(k, (current) => (current ?? 0) + 1, { maxAttempts: 1 })),
      );
      const written = results.filter((r) => r.status === 'fulfilled').length;
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
      expect(written).toBeGreaterThan(0);
      expect(await a.store.getRecord(k)).toBe(written);
    });

    it('compares awkward text exactly', async () => {
      const [a] = await sides();
      const k = key();
      const awkward = 'nul \u0000, lone \ud800, pair \ud83d\udc09, "quotes" \\ and 日本語';
      await a.store.setRecord(k, { text: awkward, n: 1 });
      expect(await a.coordination.records.update<{ text: string; n: number }>(k, (current) => current && { ...current, n: current.n + 1 })).toEqual({
        text: awkward,
        n: 2,
      });
      expect(await a.store.getRecord(k)).toEqual({ text: awkward, n: 2 });
    });

    it('passes an error thrown by the change on and writes nothing', async () => {
      const [a] = await sides();
      const k = key();
      await a.store.setRecord(k, 1);
      await expect(
        a.coordination.records.update(k, () => {
          throw new Error('bad change');
        }),
      ).rejects.toThrow('bad change');
      expect(await a.store.getRecord(k)).toBe(1);
    });
  });

  describe(`dedupe: ${name}`, () => {
    const { sides } = twoSides(open);
    const key = (): string => `event:${randomUUID()}`;

    it('lets the first claim of a key win until its ttl passes', async () => {
      const [a, b] = await sides();
      const k = key();
      expect(await a.coordination.dedupe.claim(k, 1000)).toBe(true);
      expect(await b.coordination.dedupe.claim(k, 1000)).toBe(false);
      expect(await a.coordination.dedupe.claim(k, 1000)).toBe(false);
      expect(await b.coordination.dedupe.claim(key(), 1000)).toBe(true);
      await sleep(1300);
      expect(await b.coordination.dedupe.claim(k, 60_000)).toBe(true);
      expect(await a.coordination.dedupe.claim(k, 60_000)).toBe(false);
    });

    it('gives exactly one of many concurrent claims from two sides', async () => {
      const [a, b] = await sides();
      const k = key();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).coordination.dedupe.claim(k, 60_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a ttl that is not a positive integer', async () => {
      const [a] = await sides();
      await expect(a.coordination.dedupe.claim(key(), 0)).rejects.toThrow(RangeError);
    });
  });
}
