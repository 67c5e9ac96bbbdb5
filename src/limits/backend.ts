/**
 * Where limits and budgets keep their counts: the store Muse already uses, handed over by the
 * store (src/memory) as one of these descriptors, so counts hold across restarts and processes.
 * `memory` only with MUSE_STORE_URL=memory:// (one process, nothing kept).
 *
 *   { kind: 'sqlite', db }       a better-sqlite3 Database (the store's own file)
 *   { kind: 'redis', client }    a connected node-redis client (@keyv/redis's createClient)
 *   { kind: 'postgres', pool }   a pg.Pool
 *
 * Limits and budgets create their own tables (muse_rate_limits, muse_token_budget) or keys
 * (<prefix>:rl:…, <prefix>:budget:…) and never close what they were given.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';

/** What limits and budgets need of a node-redis (v4/v5) client. */
export interface RedisClientLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  multi(): unknown;
  del(key: string): Promise<number>;
  readonly isReady?: boolean;
}

export type StoreBackend =
  { kind: 'memory' } | { kind: 'sqlite'; db: BetterSqlite3.Database } | { kind: 'redis'; client: RedisClientLike } | { kind: 'postgres'; pool: Pool };

/** An id fit for a key: as it is when short, else a hash (Postgres keys are at most 255 characters). */
export function keyPart(id: string): string {
  return id.length <= 120 ? id : `h:${createHash('sha256').update(id).digest('hex')}`;
}
