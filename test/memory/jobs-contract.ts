/**
 * Contract for the job store with claims (coordination.ts `ClaimingJobStore`), run on every
 * backend. Each test uses platforms of its own, so jobs left on a shared server by other tests
 * never show. Time is the caller's (`now`), so visibility timeouts need no waiting.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import type { Job } from '../../src/memory/jobs.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { twoSides } from './lease-contract.js';

const T = 1_700_000_000_000;

export function runJobsContract(name: string, open: () => Promise<ConversationStore>): void {
  describe(`jobs with claims: ${name}`, () => {
    const { sides } = twoSides(open);
    const platform = (): string => `p${randomUUID().slice(0, 8)}`;
    const job = (p: string, channel: string, dueAt: number, jobName = 'story.poll'): Job => ({
      conversation: { platform: p, workspace: 'w', channel },
      name: jobName,
      dueAt,
      data: { pollId: `${channel}:${dueAt}`, nested: { ok: true, list: [1, 'two', null] } },
      id: randomUUID(),
    });
    const ids = (jobs: Job[]): string[] => jobs.map((j) => j.id);

    it('lists due and pending jobs of the given platforms, earliest first', async () => {
      const [a] = await sides();
      const [p, q, other] = [platform(), platform(), platform()];
      const late = job(p, 'c1', T + 500);
      const early = job(q, 'c2', T + 100);
      const later = job(p, 'c3', T + 900, 'story.round');
      const elsewhere = job(other, 'c4', T);
      for (const j of [late, early, later, elsewhere]) await a.coordination.jobs.put(j);
      expect(await a.coordination.jobs.pending([p, q])).toEqual([early, late, later]);
      expect(await a.coordination.jobs.due(T + 500, [p, q, p])).toEqual([early, late]);
      expect(await a.coordination.jobs.due(T, [p])).toEqual([]);
    });

    it("replaces a conversation's job of the same name, removes by id, and removes all of a conversation", async () => {
      const [a] = await sides();
      const p = platform();
      const first = job(p, 'c', T + 10);
      const replaced = { ...job(p, 'c', T + 20), data: { pollId: 'second' } };
      const round = job(p, 'c', T + 30, 'story.round');
      const kept = job(p, 'd', T + 40);
      for (const j of [first, replaced, round, kept]) await a.coordination.jobs.put(j);
      expect(await a.coordination.jobs.pending([p])).toEqual([replaced, round, kept]);
      const c = conversationKey(first.conversation);
      await a.coordination.jobs.remove(c, 'story.poll', first.id); // no longer that job
      expect(ids(await a.coordination.jobs.pending([p]))).toEqual(ids([replaced, round, kept]));
      await a.coordination.jobs.remove(c, 'story.poll');
      expect(ids(await a.coordination.jobs.pending([p]))).toEqual(ids([round, kept]));
      await a.coordination.jobs.put(replaced);
      await a.coordination.jobs.removeAll(c);
      expect(await a.coordination.jobs.pending([p])).toEqual([kept]);
      await a.coordination.jobs.removeAll(c); // nothing left: fine
    });

    it('keeps every one of many jobs put at once from two sides', async () => {
      const [a, b] = await sides();
      const p = platform();
      const all = Array.from({ length: 30 }, (_, n) => job(p, `c${n}`, T + n));
      await Promise.all(all.map((j, n) => (n % 2 ? a : b).coordination.jobs.put(j)));
      expect(await b.coordination.jobs.pending([p])).toEqual(all);
    });

    it('claims only due jobs, hides them from other claims, and shows them again after the visibility timeout', async () => {
      const [a, b] = await sides();
      const p = platform();
      const due = [job(p, 'c1', T + 100), job(p, 'c2', T + 200)];
      const notYet = job(p, 'c3', T + 5000);
      for (const j of [...due, notYet]) await a.coordination.jobs.put(j);
      const options = { visibilityMs: 1000, limit: 10 };
      expect(await a.coordination.jobs.claim(T + 300, [p], options)).toEqual(due);
      expect(await b.coordination.jobs.claim(T + 400, [p], options)).toEqual([]);
      expect(await a.coordination.jobs.due(T + 400, [p])).toEqual(due); // claimed jobs are still due
      // The claimer died without completing: after the visibility timeout they come back.
      expect(await b.coordination.jobs.claim(T + 1301, [p], options)).toEqual(due);
      await b.coordination.jobs.complete(due[0]!);
      expect(await a.coordination.jobs.claim(T + 2400, [p], options)).toEqual([due[1]]);
      expect(await a.coordination.jobs.pending([p])).toEqual([due[1], notYet]);
    });

    it('never gives one job to two claimers, even from two sides at once', async () => {
      const [a, b] = await sides();
      const p = platform();
      const q = platform();
      const all = Array.from({ length: 40 }, (_, n) => job(n % 3 ? p : q, `c${n}`, T + n));
      await Promise.all(all.map((j) => a.coordination.jobs.put(j)));
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, n) => (n % 2 ? a : b).coordination.jobs.claim(T + 100, [p, q], { visibilityMs: 60_000, limit: 5 })),
      );
      const claimed = rounds.flat();
      for (const round of rounds) expect(round.length).toBeLessThanOrEqual(5);
      expect(new Set(ids(claimed)).size).toBe(claimed.length);
      const rest = await a.coordination.jobs.claim(T + 100, [p, q], { visibilityMs: 60_000, limit: 100 });
      expect(new Set([...ids(claimed), ...ids(rest)])).toEqual(new Set(ids(all)));
      expect(claimed.length + rest.length).toBe(all.length);
    });

    it('keeps a job put again while claimed when the old one completes, and lets it be claimed', async () => {
      const [a, b] = await sides();
      const p = platform();
      const old = job(p, 'c', T + 100);
      await a.coordination.jobs.put(old);
      const options = { visibilityMs: 60_000, limit: 10 };
      expect(await a.coordination.jobs.claim(T + 200, [p], options)).toEqual([old]);
      const again = { ...job(p, 'c', T + 300), data: { pollId: 'again' } };
      await b.coordination.jobs.put(again);
      await a.coordination.jobs.complete(old);
      expect(await a.coordination.jobs.pending([p])).toEqual([again]);
      expect(await b.coordination.jobs.claim(T + 300, [p], options)).toEqual([again]);
      await b.coordination.jobs.complete(again);
      expect(await a.coordination.jobs.pending([p])).toEqual([]);
    });

    it('gives a released job back to the next claim, but not one put again meanwhile', async () => {
      const [a, b] = await sides();
      const p = platform();
      const first = job(p, 'c1', T + 100);
      const second = job(p, 'c2', T + 200);
      for (const j of [first, second]) await a.coordination.jobs.put(j);
      const options = { visibilityMs: 60_000, limit: 10 };
      expect(await a.coordination.jobs.claim(T + 300, [p], options)).toEqual([first, second]);
      await a.coordination.jobs.release(first);
      expect(await b.coordination.jobs.claim(T + 300, [p], options)).toEqual([first]);
      // c2 is scheduled again (a new id) while claimed: releasing the old one changes nothing.
      const again = { ...job(p, 'c2', T + 500), data: { pollId: 'again' } };
      await b.coordination.jobs.put(again);
      await a.coordination.jobs.release(second);
      expect(await b.coordination.jobs.claim(T + 400, [p], options)).toEqual([]);
      expect(await b.coordination.jobs.claim(T + 500, [p], options)).toEqual([again]);
      expect(await a.coordination.jobs.pending([p])).toEqual([first, again]);
    });

    it('claims at most `limit`, earliest first, and refuses a bad limit or visibility', async () => {
      const [a] = await sides();
      const p = platform();
      const all = [job(p, 'c1', T + 3), job(p, 'c2', T + 1), job(p, 'c3', T + 2)];
      for (const j of all) await a.coordination.jobs.put(j);
      expect(await a.coordination.jobs.claim(T + 10, [p], { visibilityMs: 1000, limit: 2 })).toEqual([all[1], all[2]]);
      await expect(a.coordination.jobs.claim(T, [p], { visibilityMs: 1000, limit: 0 })).rejects.toThrow(RangeError);
      await expect(a.coordination.jobs.claim(T, [p], { visibilityMs: 0, limit: 1 })).rejects.toThrow(RangeError);
    });
  });
}
