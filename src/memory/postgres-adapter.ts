import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Pool, QueryResultRow } from 'pg';
import type { KeyvStoreAdapter } from 'keyv';
import type { CasWrite, CommitOutcome } from './commit.js';
import { coordinationSchema, LEASES } from './postgres-schema.js';

export interface PostgresAdapterOptions {
  /** A postgresql:// URL for a pool of the adapter's own (closed by disconnect()). */
  url?: string;
  /** Or a pool to share; disconnect() leaves it open. Its 'error' events are the owner's job. */
  pool?: Pool;
  /** The table, created when missing. Default 'keyv' (the table @keyv/postgres used). */
  table?: string;
  /** Connect, statement and query timeout, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Most connections the pool opens. Default 10. */
  max?: number;
}

/**
 * A Keyv storage adapter over a pg Pool: table (key TEXT PRIMARY KEY, value TEXT), so keys have
 * no length limit; each call is one round trip. A table @keyv/postgres made (key VARCHAR(255))
 * is widened to TEXT on first use and read as it is: the values are the same Keyv JSON.
 * `namespace` (set by Keyv) limits clear() to keys that start with `<namespace>:`.
 *
 * A pooled connection that dies while idle (server restart, pg_terminate_backend, a network
 * cut) makes the pool emit 'error'; the adapter passes it on as its own 'error' event when
 * anyone listens (Keyv does), and never lets it go unhandled. The pool then drops the client,
 * and the next call opens a new connection.
 */
export class PostgresKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  opts: { table: string; timeoutMs: number; dialect: 'postgres' };
  namespace?: string | undefined;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly t: string;
  private ready: Promise<void> | undefined;

  constructor(options: PostgresAdapterOptions) {
    super();
    const timeoutMs = options.timeoutMs ?? 5000;
    this.opts = { table: options.table ?? 'keyv', timeoutMs, dialect: 'postgres' };
    this.t = quoteIdentifier(this.opts.table);
    if (options.pool) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      if (!options.url) throw new TypeError('PostgresKeyvAdapter needs a url or a pool');
      this.pool = new pg.Pool({
        connectionString: options.url,
        application_name: 'muse', // an application_name in the URL wins
        max: options.max ?? 10,
        connectionTimeoutMillis: timeoutMs,
        statement_timeout: timeoutMs,
        query_timeout: timeoutMs,
        keepAlive: true,
      });
      this.ownsPool = true;
      this.pool.on('error', (error) => {
        if (this.listenerCount('error') > 0) this.emit('error', error);
      });
    }
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    const { rows } = await this.query<{ value: string }>(`SELECT value FROM ${this.t} WHERE key = $1`, [key]);
    return rows[0]?.value as Value | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const { rows } = await this.query<{ key: string; value: string }>(`SELECT key, value FROM ${this.t} WHERE key = ANY($1::text[])`, [keys]);
    const found = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => found.get(key) as Value | undefined);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.query(`INSERT INTO ${this.t} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, asText(value)]);
  }

  async setMany(entries: Array<{ key: string; value: unknown }>): Promise<void> {
    // One row per key (the last one wins): an upsert may not touch a row twice.
    const last = new Map(entries.map(({ key, value }) => [key, asText(value)]));
    if (last.size === 0) return;
    await this.query(`INSERT INTO ${this.t} (key, value) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [
      [...last.keys()],
      [...last.values()],
    ]);
  }

  async delete(key: string): Promise<boolean> {
    return ((await this.query(`DELETE FROM ${this.t} WHERE key = $1`, [key])).rowCount ?? 0) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return ((await this.query(`DELETE FROM ${this.t} WHERE key = ANY($1::text[])`, [keys])).rowCount ?? 0) > 0;
  }

  async has(key: string): Promise<boolean> {
    return ((await this.query(`SELECT 1 FROM ${this.t} WHERE key = $1`, [key])).rowCount ?? 0) > 0;
  }

  async clear(): Promise<void> {
    if (this.namespace) await this.query(`DELETE FROM ${this.t} WHERE starts_with(key, $1)`, [`${this.namespace}:`]);
    else await this.query(`DELETE FROM ${this.t}`);
  }

  /**
   * Compare-and-set (see commit.ts) in one statement: the meta is written only where its stored
   * rev matches (an UPDATE re-checks its WHERE on the newest row version after waiting for a
   * concurrent writer; an upsert's DO UPDATE ... WHERE does the same for "no rev yet"), and the
   * turns are inserted only if that write returned a row. Fenced, the statement first takes the
   * lease row FOR SHARE where it is still held by the token and unexpired: a concurrent acquire
   * (which updates that row) waits for the commit, and a commit after a takeover finds no row.
   */
  async commitIf({ metaKey, meta, expectRev, turns, lease }: CasWrite): Promise<CommitOutcome> {
    if (lease) await coordinationSchema(this.pool);
    const values: unknown[] = [metaKey, meta, turns.map((t) => t.key), turns.map((t) => t.value)];
    const param = (value: unknown): string => `$${values.push(value)}`;
    const leased = lease ? 'EXISTS (SELECT 1 FROM lease)' : 'TRUE';
    const leaseRow = lease
      ? `lease AS (SELECT 1 FROM ${LEASES} WHERE key = ${param(lease.key)} AND token = ${param(lease.token)} AND expires_at > clock_timestamp() FOR SHARE),`
      : '';
    const writeMeta =
      expectRev === undefined
        ? `INSERT INTO ${this.t} AS cur (key, value) SELECT $1, $2 WHERE ${leased} ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE ${revOf('cur.value')} IS NULL RETURNING 1`
        : `UPDATE ${this.t} SET value = $2 WHERE key = $1 AND ${revOf('value')} = ${param(expectRev)} AND ${leased} RETURNING 1`;
    const { rows } = await this.query<{ written: boolean; leased: boolean }>(
      `WITH ${leaseRow} meta AS (${writeMeta}),
       turns AS (
         INSERT INTO ${this.t} (key, value) SELECT k, v FROM unnest($3::text[], $4::text[]) AS u(k, v)
         WHERE EXISTS (SELECT 1 FROM meta)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
       )
       SELECT EXISTS (SELECT 1 FROM meta) AS written, ${leased} AS leased`,
      values,
    );
    if (rows[0]?.leased !== true) return 'lease-lost';
    return rows[0]?.written === true ? 'written' : 'conflict';
  }

  /** Record compare-and-set (records.ts): writes or deletes `key` only if it still holds `expected`. */
  async compareAndSwap(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    if (expected === undefined && next === undefined) return (await this.get(key)) === undefined;
    const { rowCount } =
      expected === undefined
        ? await this.query(`INSERT INTO ${this.t} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, next])
        : next === undefined
          ? await this.query(`DELETE FROM ${this.t} WHERE key = $1 AND value = $2`, [key, expected])
          : await this.query(`UPDATE ${this.t} SET value = $3 WHERE key = $1 AND value = $2`, [key, expected, next]);
    return (rowCount ?? 0) > 0;
  }

  /** The pool, for what builds on the store (coordination, rate limiters...). */
  get connections(): Pool {
    return this.pool;
  }

  async disconnect(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }

  private async query<Row extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
    this.ready ??= this.createTable().catch((error: unknown) => {
      this.ready = undefined; // try again on the next call
      throw error;
    });
    await this.ready;
    return this.pool.query<Row>(text, values);
  }

  private async createTable(): Promise<void> {
    try {
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.t} (key TEXT PRIMARY KEY, value TEXT)`);
    } catch (error) {
      // Two processes creating the table at once: the loser sees a duplicate (table, type or
      // catalog row); the table exists.
      if (!isDuplicate(error)) throw error;
    }
    const { rows } = await this.pool.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'key'`,
      [this.t],
    );
    if (rows[0] && rows[0].type !== 'text') await this.pool.query(`ALTER TABLE ${this.t} ALTER COLUMN key TYPE TEXT`);
  }
}

/**
 * The `rev` of the meta stored in `column`, or NULL. Postgres' JSON functions refuse \u0000 and
 * lone surrogate escapes, which JSON.stringify writes for such text (a summary may hold it), so
 * those escapes (an odd run of backslashes before `u`) become \ufffd first; a rev has none.
 */
function revOf(column: string): string {
  return `(regexp_replace(${column}, ${LONE_ESCAPE}, ${REPLACEMENT}, 'g')::json #>> '{value,rev}')`;
}
// As E'' literals, so they mean the same whatever standard_conforming_strings says.
const LONE_ESCAPE = String.raw`E'(?<!\\\\)((?:\\\\\\\\)*)\\\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})'`;
const REPLACEMENT = String.raw`E'\\1\\\\ufffd'`;

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === '42P07' || code === '42710';
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
