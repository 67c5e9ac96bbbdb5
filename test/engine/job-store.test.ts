import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import type { Job } from '../../src/memory/jobs.js';
import { RecordJobStore } from '../../src/memory/record-job-store.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-jobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One contract for the job store, on each kind of conversation store. */
function runJobStoreContract(name: string, url: () => string, persistent = false) {
  describe(`RecordJobStore on ${name}`, () => {
    const open: ConversationStore[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    // Platform names unique per test, so a shared Redis or file starts empty for each.
    const setup = async () => {
      const namespace = `jobs-${randomUUID().slice(0, 8)}`;
      const store = await openStore(url(), { namespace });
      open.push(store);
      // A fresh Redis store refuses commands sent together while it is still connecting (a known
      // defect of the store, not of the job store): connect it first.
      await store.getRecord('warm-up');
      const reopen = async () => {
        const again = await openStore(url(), { namespace });
        open.push(again);
        return new RecordJobStore(again);
      };
      const p = `p${randomUUID().slice(0, 6)}`;
      const job = (channel: string, jobName: string, dueAt: number, platform = p): Job => ({
        conversation: { platform, workspace: 'w', channel },
        name: jobName,
        dueAt,
        data: { pollId: `${channel}-${dueAt}` },
        id: randomUUID(),
      });
      return { store, jobs: new RecordJobStore(store), p, job, reopen };
    };

    it('keeps one job per conversation and name (a second put replaces it), per platform, earliest first', async () => {
      const { jobs, p, job } = await setup();
      const a = job('a', 'story.poll', 3000);
      const b = job('b', 'story.poll', 1000);
      const a2 = job('a', 'story.poll', 2000);
      const round = job('a', 'story.round', 5000);
      const elsewhere = job('a', 'story.poll', 500, `${p}-other`);
      for (const j of [a, b, a2, round, elsewhere]) await jobs.put(j);
      expect(await jobs.pending([p])).toEqual([b, a2, round]);
      expect(await jobs.due(2000, [p])).toEqual([b, a2]);
      expect(await jobs.due(999, [p])).toEqual([]);
      expect(await jobs.pending([p, `${p}-other`])).toEqual([elsewhere, b, a2, round]);
    });

    it('removes a job only while it is unchanged when given its id; removeAll clears a conversation', async () => {
      const { jobs, p, job } = await setup();
      const first = job('a', 'story.poll', 1000);
      await jobs.put(first);
      const replaced = job('a', 'story.poll', 2000);
      await jobs.put(replaced);
      await jobs.remove(conversationKey(first.conversation), 'story.poll', first.id); // ran, but was replaced meanwhile
      expect(await jobs.pending([p])).toEqual([replaced]);
      await jobs.remove(conversationKey(first.conversation), 'story.poll', replaced.id);
      expect(await jobs.pending([p])).toEqual([]);

      await jobs.put(job('a', 'story.poll', 1000));
      await jobs.put(job('a', 'story.round', 1000));
      const other = job('b', 'story.poll', 1000);
      await jobs.put(other);
      await jobs.removeAll(conversationKey(first.conversation));
      expect(await jobs.pending([p])).toEqual([other]);
      await jobs.remove(conversationKey(other.conversation), 'story.poll');
      expect(await jobs.pending([p])).toEqual([]);
    });

    it('concurrent puts on one platform all land, also through two job stores over one store', async () => {
      const { store, jobs, p, job } = await setup();
      const other = new RecordJobStore(store);
      const all = Array.from({ length: 20 }, (_, i) => job(`c${i}`, 'story.poll', 1000 + i));
      await Promise.all(all.map((j, i) => (i % 2 ? jobs : other).put(j)));
      expect(await jobs.pending([p])).toEqual(all);
    });

    it.runIf(persistent)('survives closing and reopening the store', async () => {
      const { store, jobs, p, job, reopen } = await setup();
      const kept = job('a', 'story.poll', 1000);
      await jobs.put(kept);
      await store.close();
      expect(await (await reopen()).pending([p])).toEqual([kept]);
    });
  });
}

runJobStoreContract('memory://', () => 'memory://');
runJobStoreContract('sqlite (file)', () => `sqlite://${join(dir, 'jobs.sqlite')}`, true);
runJobStoreContract('redis', () => process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', true);
