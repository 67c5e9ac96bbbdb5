import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter } from 'keyv';
import { decide } from './commit.js';
import type { CasWrite, CommitOutcome, LeaseCheck } from './commit.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

/**
 * A Keyv storage adapter over better-sqlite3. SQLite is embedded, so a synchronous driver answers
 * in microseconds, where an asynchronous one spends most of each call handing it to a thread.
 * Same table as @keyv/sqlite (`keyv`: key, value), so existing files open as they are.
 * WAL mode: readers never block the writer, and with synchronous=NORMAL a commit needs no fsync
 * (a crash of the process loses nothing; a power cut may lose the last commits).
 * `namespace` (set by Keyv) limits clear() to keys that start with `<namespace>:`.
 */
export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  opts: { path: string; busyTimeoutMs: number };
  namespace?: string | undefined;
  private readonly db: Database.Database;
  private readonly checkpointer: SqliteCheckpointer | undefined;
  private readonly stmt: {
    get: Database.Statement<[string], { value: string }>;
    getMany: Database.Statement<[string], { key: string; value: string }>;
    set: Database.Statement<[string, string]>;
    del: Database.Statement<[string]>;
    clear: Database.Statement<[]>;
    clearPrefix: Database.Statement<[{ prefix: string }]>;
  };
  private readonly setMany_: (entries: Array<{ key: string; value: string }>) => void;
  private readonly deleteMany_: (keys: string[]) => number;
  private readonly commitIf_: { immediate: (write: CasWrite, holds: LeaseCheck | undefined) => CommitOutcome };
  private readonly swap_: { immediate: (key: string, expected: string | undefined, next: string | undefined) => boolean };

  constructor(path: string, options: { busyTimeoutMs?: number } = {}) {
    super();
    this.opts = { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000 };
    this.db = new Database(path, { timeout: this.opts.busyTimeoutMs });
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Checkpoints run in a worker (see SqliteCheckpointer), never in the middle of a turn.
    if (path !== ':memory:') this.db.pragma('wal_autocheckpoint = 0');
    this.checkpointer =
      path === ':memory:'
        ? undefined
        : new SqliteCheckpointer(path, {
            busyTimeoutMs: this.opts.busyTimeoutMs,
            onError: (message) => this.emit('error', new Error(message)),
          });
    this.db.exec('CREATE TABLE IF NOT EXISTS keyv (key VARCHAR(255) PRIMARY KEY, value TEXT)');
    this.stmt = {
      get: this.db.prepare('SELECT value FROM keyv WHERE key = ?'),
      getMany: this.db.prepare('SELECT key, value FROM keyv WHERE key IN (SELECT value FROM json_each(?))'),
      set: this.db.prepare('INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      del: this.db.prepare('DELETE FROM keyv WHERE key = ?'),
      clear: this.db.prepare('DELETE FROM keyv'),
      clearPrefix: this.db.prepare('DELETE FROM keyv WHERE substr(key, 1, length(@prefix)) = @prefix'),
    };
    this.setMany_ = this.db.transaction((entries: Array<{ key: string; value: string }>) => {
      for (const { key, value } of entries) this.stmt.set.run(key, value);
    });
    this.deleteMany_ = this.db.transaction((keys: string[]) => keys.reduce((n, key) => n + this.stmt.del.run(key).changes, 0));
    this.commitIf_ = this.db.transaction((write: CasWrite, holds: LeaseCheck | undefined) => {
      const outcome = decide(write, this.stmt.get.get(write.metaKey)?.value, holds);
      if (outcome !== 'written') return outcome;
      for (const { key, value } of write.turns) this.stmt.set.run(key, value);
      this.stmt.set.run(write.metaKey, write.meta);
      return outcome;
    });
    this.swap_ = this.db.transaction((key: string, expected: string | undefined, next: string | undefined) => {
      if (this.stmt.get.get(key)?.value !== expected) return false;
      if (next === undefined) this.stmt.del.run(key);
      else this.stmt.set.run(key, next);
      return true;
    });
  }

  /**
   * Compare-and-set (see commit.ts) in one transaction. BEGIN IMMEDIATE takes the write lock
   * before the rev is read, so another process on the same file cannot commit in between. A
   * fenced write checks its lease with `holds` (in-process leases) inside the transaction.
   */
  async commitIf(write: CasWrite, holds?: LeaseCheck): Promise<CommitOutcome> {
    return this.commitIf_.immediate(write, holds);
  }

  /** Record compare-and-set (records.ts): writes or deletes `key` only if it still holds `expected`. */
  async compareAndSwap(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    return this.swap_.immediate(key, expected, next);
  }

  /** The database, for what builds on the store (rate limiters...). */
  get database(): Database.Database {
    return this.db;
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    return this.stmt.get.get(key)?.value as Value | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const found = new Map<string, string>();
    for (const row of this.stmt.getMany.all(JSON.stringify(keys))) found.set(row.key, row.value);
    return keys.map((key) => found.get(key) as Value | undefined);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.stmt.set.run(key, asText(value));
  }

  async setMany(entries: Array<{ key: string; value: unknown }>): Promise<void> {
    this.setMany_(entries.map(({ key, value }) => ({ key, value: asText(value) })));
  }

  async delete(key: string): Promise<boolean> {
    return this.stmt.del.run(key).changes > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return this.deleteMany_(keys) > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.stmt.get.get(key) !== undefined;
  }

  async clear(): Promise<void> {
    if (this.namespace) this.stmt.clearPrefix.run({ prefix: `${this.namespace}:` });
    else this.stmt.clear.run();
  }

  async disconnect(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
