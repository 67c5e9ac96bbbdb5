import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresKeyvAdapter } from '../../src/memory/postgres-adapter.js';

const url = process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => {});
const tables: string[] = [];
afterAll(async () => {
  for (const name of tables) await pool.query(`DROP TABLE IF EXISTS ${name}`);
  await pool.end();
});
const table = (label: string): string => {
  const name = `t_${label}_${randomUUID().slice(0, 8)}`;
  tables.push(name);
  return name;
};

describe('PostgresKeyvAdapter', () => {
  it('survives the server ending its idle connections, reports it, and reconnects', async () => {
    const app = `muse-idle-${randomUUID().slice(0, 8)}`;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./postgres-idle-child.ts', import.meta.url)), url, app], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { terminated: number; errors: string[]; after: unknown };
    expect(result.terminated).toBeGreaterThan(0);
    expect(result.errors).toContain('57P01'); // admin_shutdown: terminating connection due to administrator command
    expect(result.after).toBe('before');
  });

  it('keeps keys of any length', async () => {
    const adapter = new PostgresKeyvAdapter({ pool, table: table('long') });
    const key = `k${'é'.repeat(5000)}`;
    await adapter.set(key, '{"value":1}');
    expect(await adapter.get(key)).toBe('{"value":1}');
    expect(await adapter.getMany([key, 'missing'])).toEqual(['{"value":1}', undefined]);
  });

  it('widens a table @keyv/postgres made (key VARCHAR(255)) and reads its rows as they are', async () => {
    const name = table('legacy');
    await pool.query(`CREATE TABLE ${name} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    await pool.query(`INSERT INTO ${name} VALUES ('muse:r:old', '{"value":{"kept":true}}')`);
    const adapter = new PostgresKeyvAdapter({ pool, table: name });
    expect(await adapter.get('muse:r:old')).toBe('{"value":{"kept":true}}');
    await adapter.set('x'.repeat(300), '"long"');
    expect(await adapter.get('x'.repeat(300))).toBe('"long"');
    const { rows } = await pool.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'key'`,
      [name],
    );
    expect(rows[0]?.type).toBe('text');
  });

  it('creates its table once when many adapters start at the same time', async () => {
    const name = table('race');
    const adapters = Array.from({ length: 8 }, () => new PostgresKeyvAdapter({ url, table: name, max: 1 }));
    try {
      await Promise.all(adapters.map((adapter, n) => adapter.set(`k${n}`, String(n))));
      expect(await adapters[0]?.getMany(['k0', 'k7'])).toEqual(['0', '7']);
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.disconnect()));
    }
  });

  it('reads, writes and deletes many keys in one round trip each', async () => {
    const adapter = new PostgresKeyvAdapter({ pool, table: table('batch') });
    await adapter.has('warm-up'); // creates the table
    let checkouts = 0;
    const count = (): void => void checkouts++;
    pool.on('acquire', count);
    try {
      const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
      await adapter.setMany(keys.map((key) => ({ key, value: key.toUpperCase() })));
      expect(checkouts).toBe(1);
      expect(await adapter.getMany(keys)).toEqual(keys.map((key) => key.toUpperCase()));
      expect(checkouts).toBe(2);
      expect(await adapter.deleteMany(keys)).toBe(true);
      expect(checkouts).toBe(3);
      expect(
        await adapter.commitIf({ metaKey: 'm', meta: '{"value":{"rev":"a"}}', expectRev: undefined, turns: keys.map((key) => ({ key, value: key })) }),
      ).toBe('written');
      expect(checkouts).toBe(4);
    } finally {
      pool.off('acquire', count);
    }
    // Later entries for the same key win, as in a Map.
    await adapter.setMany([
      { key: 'dup', value: 'first' },
      { key: 'dup', value: 'last' },
    ]);
    expect(await adapter.get('dup')).toBe('last');
  });

  it('gives up on a statement that waits past its timeout', async () => {
    const name = table('timeout');
    const adapter = new PostgresKeyvAdapter({ url, table: name, timeoutMs: 300 });
    const holder = await pool.connect();
    try {
      await adapter.set('locked', 'before');
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${name} WHERE key = 'locked' FOR UPDATE`);
      const error = await adapter.set('locked', 'after').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      // The server cancels it (57014) or the client stops waiting; either way it does not hang.
      expect(String((error as { code?: string }).code ?? (error as Error).message)).toMatch(/57014|timeout/i);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await adapter.get('locked')).toBe('before');
    await adapter.disconnect();
  });
});
