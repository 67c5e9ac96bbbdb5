/**
 * Contract for leases and fenced commits (coordination.ts), run on every backend. `open()`
 * opens the backend again: for a shared backend (Redis, Postgres) each call is a new client,
 * standing in for another process; for memory and SQLite one store is used for both sides.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openCoordination } from '../../src/memory/coordination.js';
import type { Coordination, Lease } from '../../src/memory/coordination.js';
import { LeaseBusyError, LeaseLostError, StoreConflictError } from '../../src/memory/types.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { metaAt, turn } from './contract.js';

export interface Side {
  store: ConversationStore;
  coordination: Coordination;
}

/** Two sides ("processes") over the same storage, closed after each test. */
export function twoSides(open: () => Promise<ConversationStore>): { sides: () => Promise<[Side, Side]> } {
  const opened: ConversationStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  return {
    sides: async () => {
      const first = await open();
      opened.push(first);
      const side = (store: ConversationStore): Side => ({ store, coordination: openCoordination(store) });
      if (!openCoordination(first).shared) return [side(first), side(first)];
      const second = await open();
      opened.push(second);
      return [side(first), side(second)];
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks this process's event loop, as a paused process would be (no timers, no renewals). */
export function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

const lostReason = (lease: Lease): Promise<unknown> =>
  lease.lost.aborted
    ? Promise.resolve(lease.lost.reason)
    : new Promise((resolve) => lease.lost.addEventListener('abort', () => resolve(lease.lost.reason), { once: true }));

export function runLeaseContract(name: string, open: () => Promise<ConversationStore>): void {
  describe(`leases: ${name}`, () => {
    const { sides } = twoSides(open);
    const key = (label = 'c'): string => `lease:${randomUUID()}:${label}`;
    const hold = { ttlMs: 10_000, waitMs: 0 };

    it('gives a free key to one holder at a time, and a larger fence to the next', async () => {
      const [a, b] = await sides();
      const k = key();
      const first = await a.coordination.leases.acquire(k, hold);
      expect(first).toMatchObject({ key: k, token: expect.any(String) });
      expect(first.fence).toBeGreaterThan(0);
      const busy = await b.coordination.leases.acquire(k, hold).catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(LeaseBusyError);
      expect(busy).toMatchObject({ key: k });
      expect((busy as Error).message).toMatch(/busy/);
      await b.coordination.leases.acquire(key('other'), hold); // other keys are free
      await first.release();
      await first.release(); // twice is fine
      const second = await b.coordination.leases.acquire(k, hold);
      expect(second.fence).toBeGreaterThan(first.fence);
      expect(second.token).not.toBe(first.token);
      expect(first.lost.aborted).toBe(false); // released, not lost
      await second.release();
    });

    it('lets a waiter in when the holder releases, and gives up after waitMs with LeaseBusyError', async () => {
      const [a, b] = await sides();
      const k = key();
      const first = await a.coordination.leases.acquire(k, hold);
      const waiting = b.coordination.leases.acquire(k, { ttlMs: 10_000, waitMs: 30_000 });
      await expect(b.coordination.leases.acquire(k, { ttlMs: 10_000, waitMs: 50 })).rejects.toBeInstanceOf(LeaseBusyError);
      await first.release();
      const second = await waiting;
      expect(second.fence).toBeGreaterThan(first.fence);
      await second.release();
    });

    it('stops waiting when the signal fires', async () => {
      const [a, b] = await sides();
      const k = key();
      const first = await a.coordination.leases.acquire(k, hold);
      const controller = new AbortController();
      const waiting = b.coordination.leases.acquire(k, { ttlMs: 10_000, waitMs: 30_000, signal: controller.signal });
      controller.abort(new Error('the turn was cancelled'));
      await expect(waiting).rejects.toThrow('the turn was cancelled');
      await first.release();
      await (await b.coordination.leases.acquire(k, hold)).release();
    });

    it('never lets two of many concurrent holders in at once, and numbers them in order', async () => {
      const [a, b] = await sides();
      const k = key();
      let inside = 0;
      let most = 0;
      const fences: number[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async (_, n) => {
          const lease = await (n % 2 ? a : b).coordination.leases.acquire(k, { ttlMs: 10_000, waitMs: 30_000 });
          inside++;
          most = Math.max(most, inside);
          fences.push(lease.fence);
          await sleep(2);
          inside--;
          await lease.release();
        }),
      );
      expect(most).toBe(1);
      expect(fences).toHaveLength(16);
      expect([...fences].sort((x, y) => x - y)).toEqual(fences);
      expect(new Set(fences).size).toBe(16);
    });

    it('hands an expired lease to the next holder; the old one cannot renew and learns it was lost', async () => {
      const [a, b] = await sides();
      const k = key();
      const old = await a.coordination.leases.acquire(k, { ttlMs: 100, waitMs: 0, autoRenew: false });
      const waiting = b.coordination.leases.acquire(k, { ttlMs: 10_000, waitMs: 30_000 }); // no release comes
      const next = await waiting;
      expect(next.fence).toBeGreaterThan(old.fence);
      expect(await old.renew()).toBe(false);
      expect(old.lost.aborted).toBe(true);
      expect(old.lost.reason).toBeInstanceOf(LeaseLostError);
      await old.release(); // must not free the new holder's lease
      await expect(a.coordination.leases.acquire(k, hold)).rejects.toBeInstanceOf(LeaseBusyError);
      await next.release();
    });

    it('keeps a lease past its ttl by renewing it automatically', async () => {
      const [a, b] = await sides();
      const k = key();
      const lease = await a.coordination.leases.acquire(k, { ttlMs: 900, waitMs: 0 });
      await sleep(2000);
      await expect(b.coordination.leases.acquire(k, hold)).rejects.toBeInstanceOf(LeaseBusyError);
      expect(await lease.renew()).toBe(true);
      expect(lease.lost.aborted).toBe(false);
      await lease.release();
      await (await b.coordination.leases.acquire(k, hold)).release();
    });

    it('fires lost when the holder stalled past its lease and another took it', async () => {
      const [a, b] = await sides();
      const k = key();
      const lease = await a.coordination.leases.acquire(k, { ttlMs: 150, waitMs: 0 });
      stall(400); // no renewal can run
      const taker = await b.coordination.leases.acquire(k, hold);
      expect(await lostReason(lease)).toBeInstanceOf(LeaseLostError);
      expect(await lease.renew()).toBe(false);
      await taker.release();
    });

    it('releases every lease it holds with releaseAll', async () => {
      const [a, b] = await sides();
      const keys = [key('1'), key('2'), key('3')];
      const leases = await Promise.all(keys.map((k) => a.coordination.leases.acquire(k, hold)));
      await a.coordination.leases.releaseAll();
      for (const k of keys) await (await b.coordination.leases.acquire(k, hold)).release();
      expect(leases.every((lease) => !lease.lost.aborted)).toBe(true);
    });

    it('refuses a ttl too short to renew', async () => {
      const [a] = await sides();
      await expect(a.coordination.leases.acquire(key(), { ttlMs: 0, waitMs: 0 })).rejects.toThrow(RangeError);
    });
  });

  describe(`fenced commits: ${name}`, () => {
    const { sides } = twoSides(open);
    const conversation = (): string => `fenced:${randomUUID()}`;

    it('refuses the commit of a holder whose lease expired and was taken, and writes nothing of it', async () => {
      const [a, b] = await sides();
      const c = conversation();
      const leaseA = await a.coordination.leases.acquire(c, { ttlMs: 400, waitMs: 0, autoRenew: false });
      await a.store.append(c, metaAt(1, { rev: 'a1' }), [turn(0, 'by A')], { expectRev: undefined, lease: leaseA });
      const leaseB = await b.coordination.leases.acquire(c, { ttlMs: 10_000, waitMs: 30_000 }); // after A's expiry
      // A comes back: the rev it read is still the stored one, but its lease is gone.
      const late = await a.store.append(c, metaAt(2, { rev: 'a2' }), [turn(1, 'late A')], { expectRev: 'a1', lease: leaseA }).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(LeaseLostError);
      expect((late as Error).message).toMatch(/nothing of it was saved/);
      await expect(a.store.putMeta(c, metaAt(1, { rev: 'a3' }), { expectRev: 'a1', lease: leaseA })).rejects.toBeInstanceOf(LeaseLostError);
      await b.store.append(c, metaAt(2, { rev: 'b1' }), [turn(1, 'by B')], { expectRev: 'a1', lease: leaseB });
      expect(await b.store.getMeta(c)).toEqual(metaAt(2, { rev: 'b1' }));
      expect(await b.store.getTurns(c, 0, 3)).toEqual([turn(0, 'by A'), turn(1, 'by B')]);
      await leaseB.release();
    });

    it('refuses a released lease, a lease on another conversation, and a stale rev under a held lease', async () => {
      const [a] = await sides();
      const c = conversation();
      const lease = await a.coordination.leases.acquire(c, { ttlMs: 10_000, waitMs: 0 });
      const other = await a.coordination.leases.acquire(conversation(), { ttlMs: 10_000, waitMs: 0 });
      await expect(a.store.putMeta(c, metaAt(0, { rev: 'x' }), { expectRev: undefined, lease: other })).rejects.toBeInstanceOf(LeaseLostError);
      await a.store.putMeta(c, metaAt(0, { rev: 'r1' }), { expectRev: undefined, lease });
      await expect(a.store.putMeta(c, metaAt(0, { rev: 'r2' }), { expectRev: 'stale', lease })).rejects.toBeInstanceOf(StoreConflictError);
      await lease.release();
      await expect(a.store.putMeta(c, metaAt(0, { rev: 'r3' }), { expectRev: 'r1', lease })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await a.store.getMeta(c)).toEqual(metaAt(0, { rev: 'r1' }));
      await other.release();
    });

    it('loses no turn when many holders take turns on one conversation from two sides', async () => {
      const [a, b] = await sides();
      const c = conversation();
      await Promise.all(
        Array.from({ length: 16 }, async (_, n) => {
          const side = n % 2 ? a : b;
          const lease = await side.coordination.leases.acquire(c, { ttlMs: 10_000, waitMs: 30_000 });
          try {
            const meta = await side.store.getMeta(c);
            const count = meta?.count ?? 0;
            await side.store.append(c, metaAt(count + 1, { rev: `turn ${n}` }), [turn(count, `by ${n}`)], { expectRev: meta?.rev, lease });
          } finally {
            await lease.release();
          }
        }),
      );
      const meta = await a.store.getMeta(c);
      expect(meta?.count).toBe(16);
      const texts = (await a.store.getTurns(c, 0, 16)).map((t) => t.text);
      expect(new Set(texts)).toEqual(new Set(Array.from({ length: 16 }, (_, n) => `by ${n}`)));
    });
  });
}
