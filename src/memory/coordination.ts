/**
 * What running Muse as many processes needs from the store, per backend: leases with fencing,
 * record compare-and-set, a job store with claims, and shared dedupe. `openCoordination(store)`
 * gives the handle of a store that openStore opened (the same one each time).
 *
 * redis and postgres are `shared`: every process on the same server sees the same leases, jobs
 * and claims. memory and sqlite are one process's: the same API, kept in process (leases are a
 * FIFO queue, dedupe a bounded map, claims a map beside the stored jobs).
 *
 * Every operation runs under the store's timeout; a store failure is StoreUnavailableError
 * (dedupe alone fails open). Typed answers: LeaseBusyError, LeaseLostError, StoreConflictError.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { RedisClientType } from '@keyv/redis';
import type { Job, JobStore } from './jobs.js';
import type { ConversationStore } from './types.js';

export interface AcquireOptions {
  /** How long the lease lasts unless renewed. */
  ttlMs: number;
  /** How long to wait for a held key to come free before LeaseBusyError; 0: try once. */
  waitMs: number;
  /** Stops waiting (the acquire rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Renew every ttlMs/3 while held. Default true; false leaves renewal to the holder. */
  autoRenew?: boolean;
}

export interface Lease {
  key: string;
  /** Unique to this holding; a fenced commit names it (`{ expectRev, lease }`). */
  token: string;
  /** Grows with each new holder of the key: a newer holder has a larger fence. */
  fence: number;
  /** Extends the lease by its ttl; false (and `lost` fires) when it is gone or taken. */
  renew(): Promise<boolean>;
  /** Gives the key up (only if still held by this token); stops renewal. Safe to call twice. */
  release(): Promise<void>;
  /** Fires (reason: LeaseLostError) when a renewal finds the lease gone or taken, or when no
   * renewal got through for a whole ttl. Not fired by release(). */
  lost: AbortSignal;
}

export interface Leases {
  /** Waits until `key` is free (or `waitMs` passed: LeaseBusyError), then holds it. */
  acquire(key: string, options: AcquireOptions): Promise<Lease>;
  /** Releases every lease this process holds through this handle (shutdown). */
  releaseAll(): Promise<void>;
}

export interface Records {
  /**
   * Reads the record, applies `change`, and writes the result only if the stored value is still
   * the one read (compared as stored), retrying on conflict up to `maxAttempts` (default 16,
   * then StoreConflictError). `change` may run more than once and must not have side effects;
   * returning undefined deletes the record. Resolves with the value written. The records are the
   * store's (getRecord/setRecord see the same values).
   */
  update<T>(key: string, change: (current: T | undefined) => T | undefined, options?: { maxAttempts?: number }): Promise<T | undefined>;
}

export interface Dedupe {
  /**
   * True for the first caller of `key` until `ttlMs` has passed, false for the others. On a
   * store failure it answers true (fails open) and reports the error to onError.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface ClaimOptions {
  /** How long claimed jobs stay hidden: a claimer that dies lets them come due again after it. */
  visibilityMs: number;
  /** Most jobs to claim in one call. */
  limit: number;
}

/**
 * The engine's JobStore plus claims. due() and pending() list jobs whether claimed or not (by
 * their dueAt); claim() takes due jobs that nobody holds, so two claimers never get the same.
 */
export interface ClaimingJobStore extends JobStore {
  /** Takes up to `limit` jobs of these platforms due at `now` and not claimed, earliest first. */
  claim(now: number, platforms: readonly string[], options: ClaimOptions): Promise<Job[]>;
  /** Removes the job only if it is still this one (`id`): one scheduled again meanwhile stays. */
  complete(job: Job): Promise<void>;
  /**
   * Gives a claimed job back at once, due again for any claimer (a process that claimed a job it
   * does not serve, e.g. another Discord shard's), only if it is still this one (`id`).
   */
  release(job: Job): Promise<void>;
}

export function checkClaim({ visibilityMs, limit }: ClaimOptions): void {
  if (!Number.isSafeInteger(visibilityMs) || visibilityMs < 1) throw new RangeError(`visibilityMs must be a positive integer, got ${visibilityMs}`);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

interface Common {
  /** True when many processes can share it (redis, postgres). */
  shared: boolean;
  leases: Leases;
  jobs: ClaimingJobStore;
  dedupe: Dedupe;
  records: Records;
}

/** The handle, with the backend's own client for what later builds on it (rate limiters...). */
export type Coordination = Common &
  ({ kind: 'memory' } | { kind: 'sqlite'; db: Database.Database } | { kind: 'redis'; client: RedisClientType } | { kind: 'postgres'; pool: Pool });

const handles = new WeakMap<ConversationStore, Coordination>();

/** Called by openStore: the coordination handle of the store it opened. */
export function registerCoordination(store: ConversationStore, coordination: Coordination): void {
  handles.set(store, coordination);
}

/** The coordination handle of a store opened by openStore. */
export function openCoordination(store: ConversationStore): Coordination {
  const coordination = handles.get(store);
  if (!coordination) throw new TypeError('This store was not opened by openStore, so it has no coordination handle.');
  return coordination;
}
