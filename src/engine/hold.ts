import type { Lease, Leases } from '../memory/coordination.js';
import { LeaseBusyError } from '../memory/types.js';
import { KeyedLock } from '../util/lock.js';
import type { Observers } from './observer.js';

/** A conversation taken by this process: its lease (which fences every write) until release(). */
export interface Held {
  readonly key: string;
  readonly lease: Lease;
  /** The caller's signal and the lease's loss, in one: work stops when either fires. */
  readonly signal: AbortSignal;
  /** Counts a lost lease once (a fenced write found it taken before a renewal did). */
  noteLost(): void;
  /** Gives the lease up, then lets this process's next waiter in. Safe to call twice. */
  release(): Promise<void>;
}

export interface HoldLimits {
  /** How long a lease lasts without renewal (renewed every third of it while held). */
  ttlMs: number;
  /** How long to wait for a conversation another process holds before "busy". */
  waitMs: number;
}

interface HoldLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * The conversation lock: an in-process FIFO queue per conversation (so this process never polls
 * against itself, and its turns keep arrival order), then the conversation's lease from the
 * store's coordination (shared on Redis and Postgres, in process on memory and SQLite: one code
 * path). A lease another process holds for all of `waitMs` is LeaseBusyError (a sentence).
 */
export class ConversationLocks {
  private readonly local = new KeyedLock();

  constructor(
    private readonly leases: Leases,
    private readonly limits: HoldLimits,
    private readonly observers: Observers,
    private readonly log: HoldLogger,
  ) {}

  /** Waits for the conversation (in order here, then up to waitMs for the lease); `signal` joins the held signal. */
  async take(key: string, signal?: AbortSignal): Promise<Held> {
    const releaseLocal = await this.local.acquire(key);
    const started = performance.now();
    let lease: Lease;
    try {
      lease = await this.leases.acquire(key, { ttlMs: this.limits.ttlMs, waitMs: this.limits.waitMs });
    } catch (err) {
      releaseLocal();
      if (err instanceof LeaseBusyError) this.observers.leaseWait(performance.now() - started, 'busy');
      throw err;
    }
    this.observers.leaseWait(performance.now() - started, 'acquired');
    let counted = false;
    const noteLost = (): void => {
      if (counted) return;
      counted = true;
      this.observers.leaseLost();
    };
    lease.lost.addEventListener('abort', noteLost, { once: true });
    let released: Promise<void> | undefined;
    return {
      key,
      lease,
      signal: signal ? AbortSignal.any([signal, lease.lost]) : lease.lost,
      noteLost,
      release: () => {
        released ??= (async () => {
          lease.lost.removeEventListener('abort', noteLost);
          try {
            await lease.release();
          } catch (err) {
            // It expires by itself; the next holder waits at most its ttl.
            this.log.warn({ err, conversation: key }, 'could not release a conversation lease');
          } finally {
            releaseLocal();
          }
        })();
        return released;
      },
    };
  }
}
