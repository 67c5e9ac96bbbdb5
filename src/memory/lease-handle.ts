/**
 * The parts of leases every backend shares: the Lease a holder gets (renewal every ttl/3, the
 * `lost` signal, an idempotent release) and, for the shared backends, acquiring by polling with
 * a small jittered backoff. A release in this process wakes this process's waiters for the key
 * at once, so a hand-over between two turns of one process costs no backoff.
 */
import { randomUUID } from 'node:crypto';
import type { AcquireOptions, Lease, Leases } from './coordination.js';
import { guarded } from './guard.js';
import { LeaseBusyError, LeaseLostError } from './types.js';

/** One backend's lease operations (it maps the key to its storage); fence undefined: held by another. */
export interface LeaseBackend {
  tryAcquire(key: string, token: string, ttlMs: number): Promise<number | undefined>;
  renew(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}

export interface HeldLeaseInit {
  key: string;
  token: string;
  fence: number;
  ttlMs: number;
  autoRenew: boolean;
  /** The backend's renew / release for this lease (already guarded). */
  renew: () => Promise<boolean>;
  release: () => Promise<void>;
  /** Called once, when the lease is released or lost. */
  ended: (lease: Lease) => void;
  onError: (error: unknown) => void;
}

export function heldLease(init: HeldLeaseInit): Lease {
  const controller = new AbortController();
  let released: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastRenewed = Date.now();
  const over = (): boolean => released !== undefined || controller.signal.aborted;
  const end = (): void => {
    clearTimeout(timer);
    init.ended(lease);
  };
  const markLost = (): void => {
    if (over()) return;
    controller.abort(new LeaseLostError(init.key));
    end();
  };
  const renew = async (): Promise<boolean> => {
    if (over()) return false;
    const startedAt = Date.now();
    const held = await init.renew();
    if (!held) markLost();
    else lastRenewed = startedAt;
    return held && !over();
  };
  const schedule = (): void => {
    timer = setTimeout(
      () => {
        renew().then(
          () => !over() && schedule(),
          (error: unknown) => {
            init.onError(error);
            // No renewal for a whole ttl: the lease may have expired and been taken.
            if (Date.now() - lastRenewed >= init.ttlMs) markLost();
            else if (!over()) schedule();
          },
        );
      },
      Math.max(1, Math.floor(init.ttlMs / 3)),
    );
    timer.unref();
  };
  const lease: Lease = {
    key: init.key,
    token: init.token,
    fence: init.fence,
    lost: controller.signal,
    renew,
    release: () => {
      if (released) return released;
      const wasLost = controller.signal.aborted;
      released = wasLost ? Promise.resolve() : init.release();
      if (!wasLost) end();
      return released;
    },
  };
  if (init.autoRenew) schedule();
  return lease;
}

/** Leases on a shared server (Redis, Postgres): acquire polls the backend until free or waitMs. */
export class PollingLeases implements Leases {
  private readonly held = new Set<Lease>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly backend: LeaseBackend,
    private readonly timeoutMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async acquire(key: string, options: AcquireOptions): Promise<Lease> {
    checkTtl(options.ttlMs);
    const token = randomUUID();
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      const fence = await guarded(this.timeoutMs, () => this.backend.tryAcquire(key, token, options.ttlMs));
      if (fence !== undefined) return this.hold(key, token, fence, options);
      const left = started + options.waitMs - Date.now();
      if (left <= 0) throw new LeaseBusyError(key, Date.now() - started);
      await this.pause(key, Math.min(left, backoff(attempt)), options.signal);
    }
  }

  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.held].map((lease) => lease.release()));
  }

  private hold(key: string, token: string, fence: number, options: AcquireOptions): Lease {
    const lease = heldLease({
      key,
      token,
      fence,
      ttlMs: options.ttlMs,
      autoRenew: options.autoRenew ?? true,
      renew: () => guarded(this.timeoutMs, () => this.backend.renew(key, token, options.ttlMs)),
      release: async () => {
        try {
          await guarded(this.timeoutMs, () => this.backend.release(key, token));
        } finally {
          for (const wake of this.waiters.get(key) ?? []) wake();
        }
      },
      ended: (ended) => this.held.delete(ended),
      onError: this.onError,
    });
    this.held.add(lease);
    return lease;
  }

  /** Sleeps `ms`, or less when this process releases the key or the signal fires. */
  private pause(where: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let waiting = this.waiters.get(where);
      if (!waiting) this.waiters.set(where, (waiting = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(where) === waiting) this.waiters.delete(where);
      };
      const wake = (): void => {
        done();
        resolve();
      };
      const abort = (): void => {
        done();
        reject(signal?.reason);
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}

/** 2, 4, 8 … 50 ms, each between half and all of it, so waiters do not retry in step. */
function backoff(attempt: number): number {
  const ceiling = Math.min(50, 2 ** (attempt + 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 3) throw new RangeError(`a lease's ttlMs must be an integer of at least 3, got ${ttlMs}`);
}
