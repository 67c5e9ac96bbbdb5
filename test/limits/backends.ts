/** The four store backends for limit and budget tests, made the way the store will hand them over. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreBackend } from '../../src/limits/backend.js';

export interface TestBackend {
  name: 'memory' | 'sqlite' | 'redis' | 'postgres';
  /** A backend on the shared server or file; a second call gives a separate handle to the same counts. */
  open(): Promise<StoreBackend>;
  close(): Promise<void>;
}

const redisUrl = () => process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = () => process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';

export function testBackends(): TestBackend[] {
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  const dir = mkdtempSync(join(tmpdir(), 'muse-limits-'));
  const file = join(dir, 'muse.sqlite');
  return [
    { name: 'memory', open: async () => ({ kind: 'memory' }), close: async () => {} },
    {
      name: 'sqlite',
      async open() {
        const db = new Database(file, { timeout: 5000 });
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        closers.push(() => void (db.open && db.close()));
        return { kind: 'sqlite', db };
      },
      async close() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: 'redis',
      async open() {
        const client = createClient({ url: redisUrl(), disableOfflineQueue: true });
        await client.connect();
        closers.push(async () => void (client.isOpen && (await client.close())));
        return { kind: 'redis', client };
      },
      close: closeAll,
    },
    {
      name: 'postgres',
      async open() {
        const pool = new pg.Pool({ connectionString: postgresUrl(), max: 4 });
        pool.on('error', () => {});
        closers.push(() => pool.end());
        return { kind: 'postgres', pool };
      },
      close: closeAll,
    },
  ];
}
