import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyv } from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { createClient } from '@keyv/redis';
import { KeyvConversationStore } from '../../src/memory/keyv-store.js';
import { describeStoreUrl, openStore } from '../../src/memory/open-store.js';
import { StoreUnavailableError } from '../../src/memory/types.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { metaAt, runStoreContract, turn } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqliteUrl = `sqlite://${join(dir, 'nested', 'muse.sqlite')}`; // absolute: sqlite:///tmp/...
const redisUrl = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';

runStoreContract('memory://', () => openStore('memory://'));
runStoreContract('sqlite (file)', () => openStore(sqliteUrl), { persistent: true });
describe('redis', () => {
  // Redis is required, never skipped: CI starts redis-server before the tests.
  beforeAll(async () => {
    const probe = await openStore(redisUrl, { timeoutMs: 2000 });
    try {
      await probe.getRecord('probe');
    } catch (error) {
      throw new Error(
        `Redis is not reachable at ${describeStoreUrl(redisUrl)}; start it with: redis-server --daemonize yes --port 6379 --save '' --appendonly no (or set MUSE_TEST_REDIS_URL).`,
        { cause: error },
      );
    } finally {
      await probe.close();
    }
  });
  runStoreContract(`redis (${describeStoreUrl(redisUrl)})`, () => openStore(redisUrl, { namespace: 'muse-test' }), { persistent: true });
});
describe('postgres', () => {
  // Postgres is required, never skipped: the global set-up starts one (or names one).
  beforeAll(async () => {
    const probe = await openStore(postgresUrl, { timeoutMs: 2000 });
    try {
      await probe.getRecord('probe');
    } catch (error) {
      throw new Error(`Postgres is not reachable at ${describeStoreUrl(postgresUrl)}; the test set-up starts one unless MUSE_TEST_POSTGRES_URL names one.`, {
        cause: error,
      });
    } finally {
      await probe.close();
    }
  });
  runStoreContract(`postgres (${describeStoreUrl(postgresUrl)})`, () => openStore(postgresUrl, { namespace: 'muse-test' }), { persistent: true });
});

describe('openStore', () => {
  it('creates the SQLite folder, uses WAL, and accepts a relative path', async () => {
    const rel = `./${relative(process.cwd(), join(dir, 'rel', 'deeper', 'r.sqlite'))}`;
    const store = await openStore(`sqlite://${rel}`);
    await store.append('c', metaAt(1), [turn(0)]);
    expect(existsSync(join(dir, 'rel', 'deeper', 'r.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'rel', 'deeper', 'r.sqlite-wal'))).toBe(true);
    await store.close();
  });

  it('reports a SQLite file that cannot be opened as StoreUnavailableError', async () => {
    const error = await openStore(`sqlite://${dir}`).catch((e: unknown) => e); // a folder, not a file
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`Muse could not open its SQLite store at ${dir}.`);
    await expect(openStore('sqlite://')).rejects.toThrow(/names no SQLite file/);
  });

  it('rejects an unknown scheme with one sentence that lists the accepted forms and hides the password', async () => {
    const error = await openStore('mysql://bot:hunter2@db/muse').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^The store URL "mysql:\/\/bot:\*\*\*@db\/muse" is not supported; use memory:\/\/, sqlite:/);
    expect(message).toContain('redis://');
    expect(message).toContain('postgresql://');
    expect(message).not.toContain('hunter2');
    await expect(openStore('not a url')).rejects.toThrow(/is not supported/);
  });

  it("keeps a Redis conversation's keys under one Redis Cluster hash tag", async () => {
    const store = await openStore(redisUrl, { namespace: 'muse-test' });
    const client = createClient({ url: redisUrl });
    await client.connect();
    try {
      const c = `tagged:${randomUUID()}`;
      await store.append(c, metaAt(2, { rev: 'r1' }), [turn(0), turn(1)], { expectRev: undefined });
      expect((await client.keys(`muse-test:{c:${c}}:*`)).sort()).toEqual([`muse-test:{c:${c}}:m`, `muse-test:{c:${c}}:t:0`, `muse-test:{c:${c}}:t:1`]);
    } finally {
      await client.close();
      await store.close();
    }
  });

  it('answers operations sent together as the first ones on a freshly opened Redis store', async () => {
    const store = await openStore(redisUrl, { namespace: 'muse-test' });
    try {
      const key = `first:${randomUUID()}`;
      const n = Array.from({ length: 20 }, (_, i) => i);
      await Promise.all(n.map((i) => store.setRecord(`${key}:${i}`, i)));
      expect(await Promise.all(n.map((i) => store.getRecord(`${key}:${i}`)))).toEqual(n);
    } finally {
      await store.close();
    }
  });

  it('refuses a conditional write on a store given no compare-and-set', async () => {
    const store = new KeyvConversationStore(new Keyv(), {});
    await expect(store.putMeta('c', metaAt(0, { rev: 'r1' }), { expectRev: undefined })).rejects.toThrow(TypeError);
    expect(await store.getMeta('c')).toBeUndefined();
  });

  it('describes store URLs without their passwords', () => {
    expect(describeStoreUrl('redis://:s3cret@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(describeStoreUrl('rediss://user:p%40ss@cache:6380')).toBe('rediss://user:***@cache:6380');
    expect(describeStoreUrl('postgresql://muse:pw@db:5432/muse?sslmode=require')).toBe('postgresql://muse:***@db:5432/muse?sslmode=require');
    expect(describeStoreUrl('postgres://db/muse?user=m&password=pw')).toBe('postgres://db/muse?user=m&password=***');
    expect(describeStoreUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(describeStoreUrl('sqlite://./data/muse.sqlite')).toBe('sqlite://./data/muse.sqlite');
  });
});

describe('when the store is down', () => {
  /** Every operation, each started only when called (a started one must be awaited at once). */
  const all = (s: ConversationStore): Array<() => Promise<unknown>> => [
    () => s.getMeta('c'),
    () => s.getTurns('c', 0, 2),
    () => s.append('c', metaAt(1), [turn(0)]),
    () => s.append('c', metaAt(1, { rev: 'r1' }), [turn(0)], { expectRev: undefined }),
    () => s.putMeta('c', metaAt(1)),
    () => s.putMeta('c', metaAt(1, { rev: 'r2' }), { expectRev: 'r1' }),
    () => s.clear('c'),
    () => s.getRecord('r'),
    () => s.setRecord('r', 1),
    () => s.deleteRecord('r'),
  ];

  it('rejects every Redis operation with StoreUnavailableError within the timeout', async () => {
    const errors: unknown[] = [];
    const store = await openStore('redis://127.0.0.1:1', { timeoutMs: 300, onError: (e) => errors.push(e) });
    for (const op of all(store)) {
      const error = await op().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/can't reach its memory store/);
      expect((error as Error).cause).toBeDefined();
    }
    expect(errors.length).toBeGreaterThan(0);
    await store.close();
  });

  it('rejects every Postgres operation with StoreUnavailableError within the timeout', async () => {
    const errors: unknown[] = [];
    const store = await openStore('postgresql://muse:hunter2@127.0.0.1:1/muse', { timeoutMs: 300, onError: (e) => errors.push(e) });
    for (const op of all(store)) {
      const error = await op().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/can't reach its memory store/);
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).cause).toBeDefined();
    }
    expect(errors.length).toBeGreaterThan(0);
    await store.close();
  });

  it('fails fast while Redis is gone and recovers when it is back', async () => {
    const port = await freePort();
    let server = startRedis(port);
    const store = await openStore(`redis://127.0.0.1:${port}`, { timeoutMs: 1000 });
    try {
      await eventually(() => store.setRecord('r', 'before'));
      server.kill();
      await once(server, 'exit');
      const error = await eventually(() =>
        store.getRecord('r').then(
          () => Promise.reject(new Error('still answering')),
          (e: unknown) => e,
        ),
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      server = startRedis(port);
      await eventually(() => store.setRecord('r', 'after'));
      expect(await store.getRecord('r')).toBe('after');
    } finally {
      await store.close();
      if (server.exitCode === null && server.signalCode === null) {
        server.kill();
        await once(server, 'exit');
      }
    }
  });

  it('turns adapter failures into StoreUnavailableError with the cause', async () => {
    const boom = new Error('disk I/O error');
    const store = new KeyvConversationStore(new Keyv({ store: fakeAdapter(() => Promise.reject(boom)) }), {
      timeoutMs: 1000,
      commitIf: () => Promise.reject(boom),
    });
    for (const op of all(store)) {
      const error = await op().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).cause).toBe(boom);
    }
    await store.close();
  });

  it('times out an adapter that never answers', async () => {
    const store = new KeyvConversationStore(new Keyv({ store: fakeAdapter(() => new Promise(() => {})) }), {
      timeoutMs: 50,
      commitIf: () => new Promise(() => {}),
    });
    for (const op of all(store)) {
      const error = await op().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(String((error as Error).cause)).toMatch(/did not answer within 50 ms/);
    }
    await store.close();
  });

  it('refuses operations after close', async () => {
    const store = await openStore('memory://');
    await store.close();
    await store.close();
    await expect(store.getMeta('c')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Retries `attempt` until it resolves (at most ~10 s), returning its value. */
async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A Keyv storage adapter whose every call answers with `reply()`. */
function fakeAdapter(reply: () => Promise<never>): KeyvStoreAdapter {
  const call = async (): Promise<never> => reply();
  return {
    opts: { dialect: 'fake' },
    on() {
      return this;
    },
    get: call,
    getMany: call,
    set: call,
    setMany: call,
    delete: call,
    deleteMany: call,
    clear: call,
  };
}
