/**
 * Rate limits per user and per workspace (MUSE_LIMIT_USER, MUSE_LIMIT_WORKSPACE), counted with
 * rate-limiter-flexible in the store Muse already uses (fixed windows: N requests per window
 * from the first request). Call take() where an action is about to spend a model call:
 *
 *   const limits = await createRateLimits({ user: config.MUSE_LIMIT_USER, workspace: config.MUSE_LIMIT_WORKSPACE, backend, hooks, logger });
 *   const verdict = await limits.take({ user: 'discord:123', workspace: 'discord:guild:456', exempt: isTerminal });
 *   if (!verdict.ok) return reply(rateLimitSentence(verdict));   // no model call, no placeholder, nothing saved
 *
 * take() consumes one point from the user and one from the workspace; when the workspace
 * refuses, the user's point is given back. The user limit is per user id (pass ids that name
 * the platform); the workspace limit per server/workspace (in a DM, the user). `exempt` (the
 * terminal) skips every limit that was not set explicitly. When the store fails, each limit
 * falls back to an in-process count for that call (logged at most once a minute), so a store
 * outage neither lets everything through nor refuses everyone.
 */
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { reportDecision, type DecisionHooks } from '../safety/decisions.js';
import { keyPart, type StoreBackend } from './backend.js';
import { english, render, type Localized } from '../i18n/index.js';
import { durationText, tenantText, waitText, type LimitRule, type LimitSetting, type TenantWord } from './rule.js';

export type Scope = 'user' | 'workspace';

export type TakeResult = { ok: true } | { ok: false; scope: Scope; retryAfterMs: number; points: number; durationMs: number };

export interface Who {
  user: string;
  workspace: string;
  /** The terminal: only limits set explicitly apply. */
  exempt?: boolean;
}

export interface RateLimits {
  take(who: Who): Promise<TakeResult>;
}

export interface RateLimitsOptions {
  user: LimitSetting;
  workspace: LimitSetting;
  backend: StoreBackend;
  /** Key prefix, as the store's namespace. Default 'muse'. */
  prefix?: string;
  hooks?: DecisionHooks;
  logger?: { warn(obj: object, msg?: string): void };
}

export const RATE_LIMIT_TABLE = 'muse_rate_limits';
const SWEEP_EVERY_MS = 5 * 60_000;

export async function createRateLimits(options: RateLimitsOptions): Promise<RateLimits> {
  const prefix = options.prefix ?? 'muse';
  let lastWarn = -Infinity;
  const warn = (scope: Scope, err: unknown) => {
    if (Date.now() - lastWarn < 60_000) return;
    lastWarn = Date.now();
    options.logger?.warn(
      { scope, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
      'rate limit store failed; counting in this process',
    );
  };
  const make = async (scope: Scope, setting: LimitSetting) =>
    setting.rule ? new ScopeLimit(scope, setting, await storeLimiter(options.backend, setting.rule, `${prefix}:rl:${scope}`), warn) : undefined;
  const user = await make('user', options.user);
  const workspace = await make('workspace', options.workspace);
  const sweep = sqliteSweeper(options.backend);

  return {
    async take(who) {
      sweep();
      const applies = (limit: ScopeLimit | undefined) => (limit && (!who.exempt || limit.setting.explicit) ? limit : undefined);
      const u = applies(user);
      const w = applies(workspace);
      const userKey = keyPart(who.user);
      const taken = u ? await u.consume(userKey) : undefined;
      if (taken && !taken.ok) return refuse('user', u!, taken.retryAfterMs);
      const ws = w ? await w.consume(keyPart(who.workspace)) : undefined;
      if (ws && !ws.ok) {
        if (taken) await u!.refund(userKey, taken.via);
        return refuse('workspace', w!, ws.retryAfterMs);
      }
      return { ok: true };
    },
  };

  function refuse(scope: Scope, limit: ScopeLimit, retryAfterMs: number): TakeResult {
    reportDecision(options.hooks, 'rate_limited', { scope });
    return { ok: false, scope, retryAfterMs: Math.max(0, retryAfterMs), points: limit.rule.points, durationMs: limit.rule.durationMs };
  }
}

/** The private sentence for a refusal: who used what, and when to try again (English; see rateLimitText). */
export function rateLimitSentence(refusal: Extract<TakeResult, { ok: false }>, opts: { workspaceWord?: TenantWord } = {}): string {
  return render(english, rateLimitText(refusal, opts));
}

/** The refusal's sentence by key, for the speaker's language. */
export function rateLimitText(refusal: Extract<TakeResult, { ok: false }>, opts: { workspaceWord?: TenantWord } = {}): Localized {
  const n = refusal.points;
  const requests: Localized = n === 1 ? { key: 'fairUse.oneRequest' } : { key: 'fairUse.requests', vars: { n } };
  const window = durationText(refusal.durationMs);
  const wait = waitText(refusal.retryAfterMs);
  if (refusal.scope === 'user') return { key: 'fairUse.userLimited', vars: { requests, window, wait } };
  return { key: 'fairUse.tenantLimited', vars: { tenant: tenantText(opts.workspaceWord), requests, window, wait } };
}

type Consumed = { ok: true; via: 'store' | 'memory' } | { ok: false; retryAfterMs: number };

/** One limit: the store's limiter, and an in-process one for when the store fails. */
class ScopeLimit {
  readonly rule: LimitRule;
  private readonly fallback: RateLimiterMemory;

  constructor(
    readonly scope: Scope,
    readonly setting: LimitSetting,
    private readonly store: RateLimiterAbstract,
    private readonly warnStore: (scope: Scope, err: unknown) => void,
  ) {
    this.rule = setting.rule!;
    this.fallback = new RateLimiterMemory({ points: this.rule.points, duration: this.rule.durationMs / 1000, keyPrefix: `fallback:${scope}` });
  }

  async consume(key: string): Promise<Consumed> {
    try {
      await this.store.consume(key, 1);
      return { ok: true, via: 'store' };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: err.msBeforeNext };
      this.warnStore(this.scope, err);
    }
    try {
      await this.fallback.consume(key, 1);
      return { ok: true, via: 'memory' };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: err.msBeforeNext };
      throw err;
    }
  }

  async refund(key: string, via: 'store' | 'memory'): Promise<void> {
    try {
      await (via === 'store' ? this.store : this.fallback).reward(key, 1);
    } catch (err) {
      this.warnStore(this.scope, err);
    }
  }
}

async function storeLimiter(backend: StoreBackend, rule: LimitRule, keyPrefix: string): Promise<RateLimiterAbstract> {
  const base = { points: rule.points, duration: rule.durationMs / 1000, keyPrefix };
  switch (backend.kind) {
    case 'memory':
      return new RateLimiterMemory(base);
    case 'redis':
      return new RateLimiterRedis({ ...base, storeClient: backend.client, useRedisPackage: true, rejectIfRedisNotReady: true });
    case 'sqlite':
      return ready(
        (cb) =>
          new CachedSQLiteLimiter(
            { ...base, storeClient: backend.db, storeType: 'better-sqlite3', tableName: RATE_LIMIT_TABLE, clearExpiredByTimeout: false },
            cb,
          ),
      );
    case 'postgres':
      return ready((cb) => new RateLimiterPostgres({ ...base, storeClient: backend.pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE }, cb));
  }
}

/**
 * RateLimiterSQLite prepares its upsert on every call and wraps the one statement in a
 * transaction; a prepared statement kept per query text does the same work (one INSERT … ON
 * CONFLICT … RETURNING is atomic by itself) in a quarter of the time. The method overridden
 * is rate-limiter-flexible 11.4.0's; test/limits/rate-limits.test.ts checks it still exists.
 */
export class CachedSQLiteLimiter extends RateLimiterSQLite {
  private readonly statements = new Map<string, { get(...params: unknown[]): unknown }>();

  _upsertTransactionBetterSQLite3(conn: Extract<StoreBackend, { kind: 'sqlite' }>['db'], query: string, params: unknown[]): unknown {
    let statement = this.statements.get(query);
    if (!statement) this.statements.set(query, (statement = conn.prepare(query)));
    return statement.get(...params);
  }
}

/** A limiter whose table is created, once its constructor's callback says so. */
function ready<T>(build: (cb: (err?: Error) => void) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line prefer-const -- build() may call back before it returns, when `made` must already exist (a const would still be in its TDZ)
    let made: T | undefined;
    let outcome: { err?: Error | undefined } | undefined;
    const settle = () => (outcome!.err ? reject(outcome!.err) : resolve(made!));
    made = build((err) => {
      outcome = { err };
      if (made !== undefined) settle();
    });
    if (outcome) settle();
  });
}

/** SQLite rows are not swept by the library here (its timer would throw once the file is closed): a cheap DELETE every few minutes. */
function sqliteSweeper(backend: StoreBackend): () => void {
  if (backend.kind !== 'sqlite') return () => {};
  let last = Date.now();
  return () => {
    if (Date.now() - last < SWEEP_EVERY_MS) return;
    last = Date.now();
    try {
      backend.db.prepare(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire < ?`).run(Date.now() - 60_000);
    } catch {
      // the next take() reports a failing store
    }
  };
}
