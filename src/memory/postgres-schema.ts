/**
 * The Postgres tables coordination uses, beside the conversation store's `keyv` table. Keys
 * carry the store's namespace (`muse:`), so several bots can share the tables.
 *
 *   muse_leases  key TEXT PRIMARY KEY (keys.ts `lease`: `<ns>:c:<key>:lease`), token (NULL when
 *                released), fence (grows with each holder), expires_at (the server's clock)
 *   muse_jobs    (ns, conversation, name) PRIMARY KEY, platform, id, due_at and visible_at
 *                (epoch ms by the engine's clock; a claim moves visible_at on), body (the job JSON)
 *   muse_dedupe  key TEXT PRIMARY KEY (`<ns>:d:<key>`), expires_at (the server's clock)
 *
 * Rows of leases stay after release (one small row per conversation ever leased, so fences keep
 * growing); expired dedupe rows are deleted in small batches (postgres-coordination.ts).
 */
import type { Pool } from 'pg';

export const LEASES = 'muse_leases';
export const JOBS = 'muse_jobs';
export const DEDUPE = 'muse_dedupe';

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS ${LEASES} (key TEXT PRIMARY KEY, token TEXT, fence BIGINT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${JOBS} (ns TEXT NOT NULL, conversation TEXT NOT NULL, name TEXT NOT NULL, platform TEXT NOT NULL, id TEXT NOT NULL, due_at BIGINT NOT NULL, visible_at BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (ns, conversation, name))`,
  `CREATE INDEX IF NOT EXISTS ${JOBS}_visible ON ${JOBS} (ns, platform, visible_at)`,
  `CREATE TABLE IF NOT EXISTS ${DEDUPE} (key TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL)`,
];

const ready = new WeakMap<Pool, Promise<void>>();

/** Creates the tables once per pool (again after a failure); safe with many processes at once. */
export function coordinationSchema(pool: Pool): Promise<void> {
  let done = ready.get(pool);
  if (!done) {
    done = create(pool).catch((error: unknown) => {
      ready.delete(pool);
      throw error;
    });
    ready.set(pool, done);
  }
  return done;
}

async function create(pool: Pool): Promise<void> {
  for (const statement of STATEMENTS) {
    try {
      await pool.query(statement);
    } catch (error) {
      // Two processes creating a table at once: the loser sees a duplicate; the table exists.
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== '23505' && code !== '42P07' && code !== '42710') throw error;
    }
  }
}
