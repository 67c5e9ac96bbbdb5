/**
 * ConversationStore over a Keyv 5 instance (any adapter: Map, SQLite, Redis, Postgres).
 *
 * Keys: see keys.ts (plain, or hash-tagged for Redis). Conditional writes (`{ expectRev }`) go
 * to the backend's own compare-and-set (`commitIf`, see commit.ts); Keyv has none.
 *
 * Keyv swallows store errors by default, so an outage would look like empty memory. Here every
 * operation runs with Keyv's throwOnErrors and under a timeout; any failure becomes a
 * StoreUnavailableError whose `cause` is the original error. The store takes over the Keyv
 * instance it is given: it turns on throwOnErrors and sets plain JSON serialization.
 */
import type { DeserializedData, Keyv } from 'keyv';
import { serialized } from './commit.js';
import type { CasWrite, CommitIf } from './commit.js';
import { guarded, withTimeout } from './guard.js';
import { hashTaggedKeys, plainKeys } from './keys.js';
import type { KeyLayout } from './keys.js';
import { LeaseLostError, StoreConflictError, StoreUnavailableError } from './types.js';
import type { CommitCondition, ConversationMeta, ConversationStore, Turn } from './types.js';

export interface KeyvStoreOptions {
  /** Upper bound for each store operation, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Prefix for every key, e.g. 'muse' gives `muse:c:<conversation>:m`. Default: none. */
  namespace?: string;
  /**
   * Receives every error the store reports (for the log), once: Keyv passes on its adapter's
   * errors and reports an operation's failure again, and the same error is given here only the
   * first time. An operation's error also rejects the operation.
   */
  onError?: (error: unknown) => void;
  /** Closes the underlying connection; default `keyv.disconnect()`. */
  close?: () => Promise<void>;
  /** Put a conversation's keys under one Redis Cluster hash tag (see keys.ts). Default false. */
  hashTags?: boolean;
  /** The backend's compare-and-set; without it, conditional writes are refused. */
  commitIf?: CommitIf;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** Keys per deleteMany call when clearing a long conversation. */
const DELETE_BATCH = 1000;

export class KeyvConversationStore implements ConversationStore {
  readonly timeoutMs: number;
  private readonly keys: KeyLayout;
  private readonly closeConnection: () => Promise<void>;
  private readonly commitIf: CommitIf | undefined;
  private readonly closing: Array<() => Promise<void>> = [];
  private closed = false;
  private closedDone: Promise<void> | undefined;

  constructor(
    private readonly keyv: Keyv,
    options: KeyvStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.keys = options.hashTags ? hashTaggedKeys(options.namespace) : plainKeys(options.namespace);
    this.closeConnection = options.close ?? (() => keyv.disconnect());
    this.commitIf = options.commitIf;
    keyv.throwOnErrors = true;
    // Plain JSON (the same text as commit.ts's serialized()): Keyv's default serializer turns
    // strings starting with ':base64:' into Buffers.
    keyv.serialize = (data) => JSON.stringify(data);
    keyv.deserialize = <Value>(text: string) => JSON.parse(text) as DeserializedData<Value>;
    // A listener keeps an adapter's 'error' event from ever going unhandled.
    const onError = options.onError ?? (() => {});
    const reported = new WeakSet<object>();
    keyv.on('error', (error: unknown) => {
      if (typeof error === 'object' && error !== null) {
        if (reported.has(error)) return;
        reported.add(error);
      }
      onError(error);
    });
  }

  getMeta(conversation: string): Promise<ConversationMeta | undefined> {
    return this.run(() => this.keyv.get<ConversationMeta>(this.metaKey(conversation)));
  }

  async getTurns(conversation: string, from: number, to: number): Promise<Turn[]> {
    checkIndex('from', from);
    checkIndex('to', to);
    if (to <= from) return [];
    const keys: string[] = [];
    for (let i = from; i < to; i++) keys.push(this.turnKey(conversation, i));
    return this.run(async () => {
      const values = await this.keyv.getMany<Turn>(keys);
      return values.filter((turn): turn is Turn => turn !== undefined && turn !== null);
    });
  }

  async append(conversation: string, meta: ConversationMeta, turns: Turn[], condition?: CommitCondition): Promise<void> {
    const first = meta.count - turns.length;
    if (!Number.isSafeInteger(meta.count) || first < 0) {
      throw new RangeError(`meta.count (${meta.count}) must be an integer of at least turns.length (${turns.length})`);
    }
    const entries = turns.map((value, i) => ({ key: this.turnKey(conversation, first + i), value }));
    if (condition) return this.commit(conversation, meta, entries, condition);
    return this.run(async () => {
      if (entries.length > 0) await this.keyv.setMany(entries);
      await this.keyv.set(this.metaKey(conversation), meta);
    });
  }

  async putMeta(conversation: string, meta: ConversationMeta, condition?: CommitCondition): Promise<void> {
    if (condition) return this.commit(conversation, meta, [], condition);
    return this.run(async () => {
      await this.keyv.set(this.metaKey(conversation), meta);
    });
  }

  /** A conditional write: the backend's compare-and-set, or StoreConflictError / LeaseLostError. */
  private async commit(conversation: string, meta: ConversationMeta, entries: Array<{ key: string; value: Turn }>, condition: CommitCondition): Promise<void> {
    checkNewRev(meta.rev, condition.expectRev);
    const commitIf = this.commitIf;
    if (!commitIf) throw new TypeError('This store cannot write conditionally (no commitIf was given).');
    const write: CasWrite = {
      metaKey: this.metaKey(conversation),
      meta: serialized(meta),
      expectRev: condition.expectRev,
      turns: entries.map(({ key, value }) => ({ key, value: serialized(value) })),
      ...(condition.lease ? { lease: { key: this.keys.lease(conversation), token: condition.lease.token } } : {}),
    };
    const outcome = await this.run(() => commitIf(write));
    if (outcome === 'lease-lost') throw new LeaseLostError(conversation);
    if (outcome !== 'written') throw new StoreConflictError(conversation, condition.expectRev);
  }

  clear(conversation: string): Promise<void> {
    return this.run(async () => {
      const meta = await this.keyv.get<ConversationMeta>(this.metaKey(conversation));
      if (meta === undefined) return;
      // Meta first: if we stop half-way, the conversation already reads as cleared.
      await this.keyv.delete(this.metaKey(conversation));
      await this.deleteRange(conversation, 0, meta.count);
    });
  }

  async deleteTurns(conversation: string, from: number, to: number): Promise<void> {
    checkIndex('from', from);
    checkIndex('to', to);
    if (to <= from) return;
    return this.run(() => this.deleteRange(conversation, from, to));
  }

  private async deleteRange(conversation: string, from: number, to: number): Promise<void> {
    for (let start = from; start < to; start += DELETE_BATCH) {
      const keys: string[] = [];
      for (let i = start; i < Math.min(to, start + DELETE_BATCH); i++) keys.push(this.turnKey(conversation, i));
      await this.keyv.deleteMany(keys);
    }
  }

  getRecord<T>(key: string): Promise<T | undefined> {
    return this.run(() => this.keyv.get<T>(this.recordKey(key)));
  }

  setRecord<T>(key: string, value: T): Promise<void> {
    return this.run(async () => {
      await this.keyv.set(this.recordKey(key), value);
    });
  }

  deleteRecord(key: string): Promise<void> {
    return this.run(async () => {
      await this.keyv.delete(this.recordKey(key));
    });
  }

  /** Runs `work` (e.g. releasing leases) when the store closes, before its connection goes. */
  beforeClose(work: () => Promise<void>): void {
    this.closing.push(work);
  }

  close(): Promise<void> {
    this.closedDone ??= this.shutdown();
    return this.closedDone;
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled(this.closing.splice(0).map((work) => withTimeout(Promise.resolve().then(work), this.timeoutMs)));
    this.closed = true;
    await withTimeout(this.closeConnection(), this.timeoutMs).catch(() => {
      // Closing a store that is already down must not fail shutdown.
    });
  }

  private metaKey(conversation: string): string {
    return this.keys.meta(conversation);
  }

  private turnKey(conversation: string, index: number): string {
    return this.keys.turn(conversation, index);
  }

  private recordKey(key: string): string {
    return this.keys.record(key);
  }

  /** Runs one store operation: failures and timeouts become StoreUnavailableError. */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(undefined, { cause: new Error('the memory store is closed') });
    return guarded(this.timeoutMs, operation);
  }
}

/**
 * A conditional write must give the meta a new rev, or a later writer could not tell it from the
 * one it replaced. Backends compare revs in JSON they may have to clean of NULs and lone
 * surrogates first (see postgres-adapter.ts, redis-commit.ts), so a rev holds neither.
 */
function checkNewRev(rev: unknown, expectRev: string | undefined): void {
  if (typeof rev !== 'string' || rev === '' || rev === expectRev || /[\0\ud800-\udfff]/.test(rev.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
    throw new RangeError(
      `a conditional write needs meta.rev to be a new non-empty string without NULs or lone surrogates (expected rev ${String(expectRev)}, new rev ${String(rev)})`,
    );
  }
}

function checkIndex(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
