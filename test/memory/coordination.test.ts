import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Keyv } from 'keyv';
import { createClient } from '@keyv/redis';
import pg from 'pg';
import { openCoordination } from '../../src/memory/coordination.js';
import { KeyvConversationStore } from '../../src/memory/keyv-store.js';
import { openStore } from '../../src/memory/open-store.js';
import { CasRecords } from '../../src/memory/records.js';
import { LeaseLostError, StoreConflictError, StoreUnavailableError } from '../../src/memory/types.js';
import { metaAt } from './contract.js';
import { runJobsContract } from './jobs-contract.js';
import { runLeaseContract } from './lease-contract.js';
import { runRecordsContract } from './records-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-coordination-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const redisUrl = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';

const backends: Array<[string, () => Promise<Awaited<ReturnType<typeof openStore>>>]> = [
  ['memory', () => openStore('memory://')],
  ['sqlite', () => openStore(`sqlite://${join(dir, `${randomUUID()}.sqlite`)}`)],
  ['redis', () => openStore(redisUrl, { namespace: 'muse-test' })],
  ['postgres', () => openStore(postgresUrl, { namespace: 'muse-test' })],
];

for (const [name, open] of backends) {
  runLeaseContract(name, open);
  runRecordsContract(name, open);
  runJobsContract(name, open);
}

describe('openCoordination', () => {
  it('tells each backend apart, says which are shared, and hands out its client', async () => {
    const seen: Array<[string, boolean, string]> = [];
    for (const [, open] of backends) {
      const store = await open();
      const c = openCoordination(store);
      expect(openCoordination(store)).toBe(c);
      const client = c.kind === 'redis' ? c.client : c.kind === 'postgres' ? c.pool : c.kind === 'sqlite' ? c.db : undefined;
      seen.push([c.kind, c.shared, client?.constructor.name ?? 'none']);
      await store.close();
    }
    expect(seen).toEqual([
      ['memory', false, 'none'],
      ['sqlite', false, 'Database'],
      ['redis', true, expect.any(String)],
      ['postgres', true, 'BoundPool'],
    ]);
  });

  it('has no handle for a store openStore did not open', () => {
    expect(() => openCoordination(new KeyvConversationStore(new Keyv()))).toThrow(TypeError);
  });

  it("releases the store's leases when the store closes", async () => {
    for (const [, open] of backends.slice(2)) {
      const [a, b] = [await open(), await open()];
      const k = `closing:${randomUUID()}`;
      await openCoordination(a).leases.acquire(k, { ttlMs: 60_000, waitMs: 0 });
      await a.close();
      await (await openCoordination(b).leases.acquire(k, { ttlMs: 60_000, waitMs: 0 })).release();
      await b.close();
    }
  });

  it('reports a record it cannot read as StoreUnavailableError and leaves it as it is', async () => {
    const store = await backends[1]![1]();
    const c = openCoordination(store);
    try {
      if (c.kind !== 'sqlite') throw new Error('expected the SQLite store');
      c.db.prepare('INSERT INTO keyv (key, value) VALUES (?, ?)').run('muse:r:broken', 'not JSON');
      await expect(c.records.update('broken', () => 1)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(c.db.prepare('SELECT value FROM keyv WHERE key = ?').get('muse:r:broken')).toEqual({ value: 'not JSON' });
    } finally {
      await store.close();
    }
  });

  it('gives up on records after maxAttempts conflicts with StoreConflictError', async () => {
    let swaps = 0;
    const records = new CasRecords({ read: async () => undefined, swap: async () => (swaps++, false) }, (k) => k, 1000);
    await expect(records.update('k', () => 1, { maxAttempts: 3 })).rejects.toBeInstanceOf(StoreConflictError);
    expect(swaps).toBe(3);
  });
});

describe('coordination on Redis', () => {
  it("keeps a conversation's lease and fence under its hash tag, and a platform's jobs under theirs", async () => {
    const store = await openStore(redisUrl, { namespace: 'muse-test' });
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const c = `tagged:${randomUUID()}`;
      const lease = await openCoordination(store).leases.acquire(c, { ttlMs: 60_000, waitMs: 0 });
      await store.putMeta(c, metaAt(0, { rev: 'r1' }), { expectRev: undefined, lease });
      expect((await client.keys(`muse-test:{c:${c}}:*`)).sort()).toEqual([`muse-test:{c:${c}}:fence`, `muse-test:{c:${c}}:lease`, `muse-test:{c:${c}}:m`]);
      expect(await client.get(`muse-test:{c:${c}}:lease`)).toBe(lease.token);
      const platform = `p${randomUUID().slice(0, 8)}`;
      const conversation = { platform, workspace: 'w', channel: 'ch' };
      await openCoordination(store).jobs.put({ conversation, name: 'story.poll', dueAt: 1, data: {}, id: 'j1' });
      expect((await client.keys(`muse-test:{j:${platform}}:*`)).sort()).toEqual(
        ['c:' + `${platform}:w:ch`, 'due', 'ids', 'jobs'].map((suffix) => `muse-test:{j:${platform}}:${suffix}`),
      );
      await lease.release();
      expect(await client.exists(`muse-test:{c:${c}}:lease`)).toBe(0);
    } finally {
      await client.close();
      await store.close();
    }
  });

  it('fires lost when a renewal finds the lease gone', async () => {
    const store = await openStore(redisUrl, { namespace: 'muse-test' });
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const c = `gone:${randomUUID()}`;
      const lease = await openCoordination(store).leases.acquire(c, { ttlMs: 300, waitMs: 0 });
      await client.del(`muse-test:{c:${c}}:lease`);
      await new Promise((resolve) => lease.lost.addEventListener('abort', resolve, { once: true }));
      expect(lease.lost.reason).toBeInstanceOf(LeaseLostError);
      await expect(store.putMeta(c, metaAt(0, { rev: 'r1' }), { expectRev: undefined, lease })).rejects.toBeInstanceOf(LeaseLostError);
    } finally {
      await client.close();
      await store.close();
    }
  });
});

describe('coordination when the store is down', () => {
  for (const url of ['redis://127.0.0.1:1', 'postgresql://muse:hunter2@127.0.0.1:1/muse']) {
    it(`fails dedupe open and everything else with StoreUnavailableError (${url.split(':')[0]})`, async () => {
      const errors: unknown[] = [];
      const store = await openStore(url, { timeoutMs: 300, onError: (e) => errors.push(e) });
      const c = openCoordination(store);
      try {
        expect(await c.dedupe.claim('event', 1000)).toBe(true);
        expect(errors.length).toBeGreaterThan(0);
        const job = { conversation: { platform: 'p', workspace: 'w', channel: 'c' }, name: 'n', dueAt: 1, data: {}, id: 'j' };
        for (const op of [
          () => c.leases.acquire('k', { ttlMs: 1000, waitMs: 0 }),
          () => c.records.update('k', () => 1),
          () => c.jobs.put(job),
          () => c.jobs.claim(1, ['p'], { visibilityMs: 1000, limit: 1 }),
          () => c.jobs.complete(job),
          () => c.jobs.pending(['p']),
        ]) {
          const error = await op().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(StoreUnavailableError);
          expect((error as Error).message).not.toContain('hunter2');
        }
      } finally {
        await store.close();
      }
    });
  }
});

describe('coordination on Postgres', () => {
  it('creates its tables when many stores start at once on a fresh database', async () => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const database = `muse_fresh_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(url.toString())));
    try {
      await Promise.all(stores.map((s, n) => openCoordination(s).dedupe.claim(`start:${n}`, 1000)));
      await Promise.all(stores.map((s, n) => openCoordination(s).leases.acquire(`start:${n}`, { ttlMs: 1000, waitMs: 0 })));
      const fresh = new pg.Client({ connectionString: url.toString() });
      await fresh.connect();
      const { rows } = await fresh.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'muse%' ORDER BY 1`,
      );
      const { rows: claims } = await fresh.query<{ n: string }>('SELECT count(*) AS n FROM muse_dedupe');
      await fresh.end();
      expect(rows.map((r) => r.name)).toEqual(['muse_dedupe', 'muse_jobs', 'muse_leases']);
      expect(Number(claims[0]?.n)).toBe(4);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await admin.query(`DROP DATABASE ${database}`);
      await admin.end();
    }
  });
});
