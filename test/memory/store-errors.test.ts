import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Keyv } from 'keyv';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { openStore } from '../../src/memory/open-store.js';
import { SqliteCheckpointer } from '../../src/memory/sqlite-checkpointer.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { metaAt, turn } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-store-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The Keyv storage adapter under a store that openStore made (its internals, for fault injection). */
const adapterOf = (store: ConversationStore) => (store as unknown as { keyv: Keyv }).keyv.store as { emit(event: string, error: unknown): void };
const workerOf = (checkpointer: SqliteCheckpointer) => (checkpointer as unknown as { worker: Worker }).worker;

async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!done()) throw new Error(`gave up waiting: ${what}`);
}

describe('store errors reach onError once', () => {
  it('SQLite: an error the adapter reports is given to onError once', async () => {
    const errors: unknown[] = [];
    const store = await openStore(`sqlite://${join(dir, 'once.sqlite')}`, { onError: (e) => errors.push(e) });
    try {
      const error = new Error('disk trouble');
      adapterOf(store).emit('error', error);
      expect(errors).toEqual([error]);
    } finally {
      await store.close();
    }
  });

  it('Redis: every error of an unreachable server is given to onError once (the adapter reports it, Keyv passes it on and reports it again)', async () => {
    const errors: unknown[] = [];
    const store = await openStore('redis://127.0.0.1:1', { timeoutMs: 300, onError: (e) => errors.push(e) });
    try {
      await store.setRecord('r', 1).catch(() => undefined);
      await store.deleteRecord('r').catch(() => undefined);
      expect(errors.length).toBeGreaterThan(0);
      const objects = errors.filter((e) => typeof e === 'object');
      expect(new Set(objects).size).toBe(objects.length);
    } finally {
      await store.close();
    }
  });
});

describe('the app', () => {
  it('logs the errors its store meets', async () => {
    const lines: Array<{ level: number; msg: string; err?: { message?: string } }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const app = await createApp(loadConfig({ MUSE_STORE_URL: 'redis://127.0.0.1:1', MUSE_STORE_TIMEOUT_MS: '300', MUSE_MODEL: 'fake' }), log);
    try {
      await app.store.setRecord('r', 1).catch(() => undefined);
      const logged = lines.filter((l) => l.msg === 'memory store error');
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.every((l) => l.level === 40 && typeof l.err?.message === 'string')).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('SQLite checkpoint worker', () => {
  it('is started again when it dies, each death reported once, with a growing delay, and keeps checkpointing', async () => {
    const path = join(dir, 'wal.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (v TEXT)');
    const errors: string[] = [];
    const checkpointer = new SqliteCheckpointer(path, { intervalMs: 20, restartDelayMs: 10, onError: (m) => errors.push(m) });
    try {
      const first = workerOf(checkpointer);
      await first.terminate();
      await until(() => checkpointer.restarts === 1, 'the first restart');
      expect(errors).toEqual([expect.stringMatching(/^SQLite checkpoint worker stopped with exit code \d+; starting it again in 10 ms$/)]);
      const second = workerOf(checkpointer);
      expect(second).not.toBe(first);
      await second.terminate();
      await until(() => checkpointer.restarts === 2, 'the second restart');
      expect(errors[1]).toMatch(/^SQLite checkpoint worker stopped with exit code \d+; starting it again in 20 ms$/);
      // The worker that runs now checkpoints: the WAL's pages reach the database file.
      const before = statSync(path).size;
      for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000));
      await until(() => statSync(path).size > before + 50_000, 'a checkpoint by the new worker');
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('a store whose worker dies reports it once through onError and goes on working', async () => {
    const errors: unknown[] = [];
    const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`, { onError: (e) => errors.push(e) });
    try {
      const checkpointer = (adapterOf(store) as unknown as { checkpointer: SqliteCheckpointer }).checkpointer;
      await workerOf(checkpointer).terminate();
      await until(() => checkpointer.restarts === 1, 'the restart');
      expect(errors.map((e) => (e as Error).message)).toEqual([
        expect.stringMatching(/^SQLite checkpoint worker stopped with exit code \d+; starting it again in 1000 ms$/),
      ]);
      await store.append('c', metaAt(1), [turn(0)]);
      expect(await store.getTurns('c', 0, 1)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
