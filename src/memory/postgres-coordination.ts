/**
 * Coordination on Postgres (tables: postgres-schema.ts). Leases use the server's clock, so
 * processes whose clocks differ agree on expiry.
 *
 *   acquire  one upsert that takes the row only when it is released or expired, bumping fence
 *   renew    moves expires_at on only while the token holds it, unexpired
 *   release  clears the token only while it is this one
 *   dedupe   an upsert that succeeds only for a new or expired key; expired rows are deleted
 *            1,000 at a time, at most once a minute per process
 *   records  the keyv table's compare-and-set (PostgresKeyvAdapter.compareAndSwap)
 */
import type { Pool } from 'pg';
import type { Coordination } from './coordination.js';
import { failOpen } from './dedupe.js';
import type { KeyLayout } from './keys.js';
import { PollingLeases } from './lease-handle.js';
import type { LeaseBackend } from './lease-handle.js';
import type { PostgresKeyvAdapter } from './postgres-adapter.js';
import { PostgresJobStore } from './postgres-jobs.js';
import { coordinationSchema, DEDUPE, LEASES } from './postgres-schema.js';
import { CasRecords } from './records.js';

const MS = `* interval '1 millisecond'`;
const CLEANUP_EVERY_MS = 60_000;

export function postgresCoordination(
  adapter: PostgresKeyvAdapter,
  keys: KeyLayout,
  namespace: string,
  timeoutMs: number,
  onError: (error: unknown) => void,
): Coordination {
  const pool = adapter.connections;
  const query = async (text: string, values: unknown[]): Promise<number> => {
    await coordinationSchema(pool);
    return (await pool.query(text, values)).rowCount ?? 0;
  };
  return {
    kind: 'postgres',
    shared: true,
    pool,
    leases: new PollingLeases(postgresLeaseBackend(pool, keys), timeoutMs, onError),
    jobs: new PostgresJobStore(pool, namespace, timeoutMs),
    records: new CasRecords(
      { read: (key) => adapter.get<string>(key), swap: (key, expected, next) => adapter.compareAndSwap(key, expected, next) },
      keys.record,
      timeoutMs,
    ),
    dedupe: failOpen(postgresDedupe(query, keys, onError), timeoutMs, onError),
  };
}

export function postgresLeaseBackend(pool: Pool, keys: KeyLayout): LeaseBackend {
  const query = async (text: string, values: unknown[]): Promise<Array<{ fence?: string }>> => {
    await coordinationSchema(pool);
    return (await pool.query<{ fence?: string }>(text, values)).rows;
  };
  return {
    tryAcquire: async (key, token, ttlMs) => {
      const rows = await query(
        `INSERT INTO ${LEASES} AS l (key, token, fence, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3::bigint ${MS})
         ON CONFLICT (key) DO UPDATE SET token = excluded.token, fence = l.fence + 1, expires_at = excluded.expires_at
         WHERE l.token IS NULL OR l.expires_at <= clock_timestamp()
         RETURNING fence`,
        [keys.lease(key), token, ttlMs],
      );
      return rows[0]?.fence === undefined ? undefined : Number(rows[0].fence);
    },
    renew: async (key, token, ttlMs) => {
      const rows = await query(
        `UPDATE ${LEASES} SET expires_at = clock_timestamp() + $3::bigint ${MS} WHERE key = $1 AND token = $2 AND expires_at > clock_timestamp() RETURNING 1`,
        [keys.lease(key), token, ttlMs],
      );
      return rows.length > 0;
    },
    release: async (key, token) => {
      await query(`UPDATE ${LEASES} SET token = NULL WHERE key = $1 AND token = $2`, [keys.lease(key), token]);
    },
  };
}

function postgresDedupe(query: (text: string, values: unknown[]) => Promise<number>, keys: KeyLayout, onError: (error: unknown) => void) {
  let lastCleanup = 0;
  return async (key: string, ttlMs: number): Promise<boolean> => {
    const claimed = await query(
      `INSERT INTO ${DEDUPE} AS d (key, expires_at) VALUES ($1, clock_timestamp() + $2::bigint ${MS})
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE d.expires_at <= clock_timestamp()`,
      [keys.dedupe(key), ttlMs],
    );
    if (Date.now() - lastCleanup >= CLEANUP_EVERY_MS) {
      lastCleanup = Date.now();
      query(`DELETE FROM ${DEDUPE} WHERE ctid IN (SELECT ctid FROM ${DEDUPE} WHERE expires_at <= clock_timestamp() LIMIT 1000)`, []).catch(onError);
    }
    return claimed > 0;
  };
}
