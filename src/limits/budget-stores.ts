/**
 * Where token budgets are counted, one implementation per store backend. Each keeps, per UTC
 * day, one count per workspace and one per user in that workspace, and adds to both in one
 * atomic step: Redis INCRBY in a script (keys expire after a couple of days), a Postgres or
 * SQLite upsert of two rows (rows older than two days are swept), or a Map.
 */
import type { StoreBackend } from './backend.js';
import { keyPart } from './backend.js';

export interface BudgetCounts {
  workspaceTokens: number;
  userTokens: number;
}

export interface BudgetStore {
  add(day: string, workspace: string, user: string, tokens: number, ttlMs: number): Promise<void>;
  get(day: string, workspace: string, user: string): Promise<BudgetCounts>;
  /** Forgets the days before `day` (Redis: keys expire on their own). */
  sweep(day: string): Promise<void>;
}

export const BUDGET_TABLE = 'muse_token_budget';
const COLUMNS = `(day TEXT NOT NULL, workspace TEXT NOT NULL, user_id TEXT NOT NULL, tokens BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (day, workspace, user_id))`;

export async function budgetStore(backend: StoreBackend, prefix: string): Promise<BudgetStore> {
  switch (backend.kind) {
    case 'memory':
      return memoryStore();
    case 'sqlite':
      return sqliteStore(backend.db);
    case 'redis':
      return redisStore(backend.client, prefix);
    case 'postgres':
      return postgresStore(backend.pool);
  }
}

function memoryStore(): BudgetStore {
  const counts = new Map<string, number>();
  const key = (day: string, workspace: string, user: string) => JSON.stringify([day, workspace, user]);
  return {
    async add(day, workspace, user, tokens) {
      for (const k of [key(day, workspace, ''), key(day, workspace, user)]) counts.set(k, (counts.get(k) ?? 0) + tokens);
    },
    async get(day, workspace, user) {
      return { workspaceTokens: counts.get(key(day, workspace, '')) ?? 0, userTokens: counts.get(key(day, workspace, user)) ?? 0 };
    },
    async sweep(day) {
      for (const k of counts.keys()) if ((JSON.parse(k) as string[])[0]! < day) counts.delete(k);
    },
  };
}

function sqliteStore(db: Extract<StoreBackend, { kind: 'sqlite' }>['db']): BudgetStore {
  db.exec(`CREATE TABLE IF NOT EXISTS ${BUDGET_TABLE} ${COLUMNS}`);
  const add = db.prepare(
    `INSERT INTO ${BUDGET_TABLE} (day, workspace, user_id, tokens) VALUES (@day, @workspace, '', @tokens), (@day, @workspace, @user, @tokens)
     ON CONFLICT (day, workspace, user_id) DO UPDATE SET tokens = tokens + excluded.tokens`,
  );
  const get = db.prepare<[string, string, string], { user_id: string; tokens: number }>(
    `SELECT user_id, tokens FROM ${BUDGET_TABLE} WHERE day = ? AND workspace = ? AND user_id IN ('', ?)`,
  );
  const sweep = db.prepare(`DELETE FROM ${BUDGET_TABLE} WHERE day < ?`);
  return {
    async add(day, workspace, user, tokens) {
      add.run({ day, workspace, user, tokens });
    },
    async get(day, workspace, user) {
      return counted(get.all(day, workspace, user), user);
    },
    async sweep(day) {
      sweep.run(day);
    },
  };
}

async function postgresStore(pool: Extract<StoreBackend, { kind: 'postgres' }>['pool']): Promise<BudgetStore> {
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${BUDGET_TABLE} ${COLUMNS}`);
  } catch (err) {
    // Two processes creating the table at once: the other one won.
    if (!['23505', '42P07'].includes((err as { code?: string }).code ?? '')) throw err;
  }
  return {
    async add(day, workspace, user, tokens) {
      await pool.query(
        `INSERT INTO ${BUDGET_TABLE} (day, workspace, user_id, tokens) VALUES ($1, $2, '', $4), ($1, $2, $3, $4)
         ON CONFLICT (day, workspace, user_id) DO UPDATE SET tokens = ${BUDGET_TABLE}.tokens + excluded.tokens`,
        [day, workspace, user, tokens],
      );
    },
    async get(day, workspace, user) {
      const { rows } = await pool.query<{ user_id: string; tokens: string }>(
        `SELECT user_id, tokens FROM ${BUDGET_TABLE} WHERE day = $1 AND workspace = $2 AND user_id IN ('', $3)`,
        [day, workspace, user],
      );
      return counted(rows, user);
    },
    async sweep(day) {
      await pool.query(`DELETE FROM ${BUDGET_TABLE} WHERE day < $1`, [day]);
    },
  };
}

const ADD_SCRIPT = `
local w = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local u = redis.call('INCRBY', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return {w, u}`;
const GET_SCRIPT = `return {redis.call('GET', KEYS[1]) or '0', redis.call('GET', KEYS[2]) or '0'}`;

function redisStore(client: Extract<StoreBackend, { kind: 'redis' }>['client'], prefix: string): BudgetStore {
  // Both keys of a workspace share one hash tag, so the script runs on one Redis Cluster slot.
  const tag = (workspace: string) => `{${keyPart(workspace).replace(/[%{}]/g, (c) => encodeURIComponent(c))}}`;
  const keys = (day: string, workspace: string, user: string) => {
    const base = `${prefix}:budget:${tag(workspace)}:${day}`;
    return [base, `${base}:u:${keyPart(user)}`];
  };
  return {
    async add(day, workspace, user, tokens, ttlMs) {
      await client.eval(ADD_SCRIPT, { keys: keys(day, workspace, user), arguments: [String(tokens), String(Math.max(1, Math.round(ttlMs)))] });
    },
    async get(day, workspace, user) {
      const [w, u] = (await client.eval(GET_SCRIPT, { keys: keys(day, workspace, user), arguments: [] })) as [string, string];
      return { workspaceTokens: Number(w) || 0, userTokens: Number(u) || 0 };
    },
    async sweep() {},
  };
}

function counted(rows: Array<{ user_id: string; tokens: number | string }>, user: string): BudgetCounts {
  const of = (id: string) => Number(rows.find((r) => r.user_id === id)?.tokens ?? 0);
  return { workspaceTokens: of(''), userTokens: user === '' ? of('') : of(user) };
}
