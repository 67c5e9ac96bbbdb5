/**
 * Leases kept in this process (memory://, sqlite://): the same API and meaning as the shared
 * ones, without a server. Waiters for a key queue in arrival order (FIFO) and are handed the
 * key when its holder releases it or its lease expires; no polling. Keys are the leases'
 * storage keys (keys.ts `lease`), so a fenced commit checks `holds(storageKey, token)` inside
 * its own atomic step.
 */
import { randomUUID } from 'node:crypto';
import type { AcquireOptions, Lease, Leases } from './coordination.js';
import { checkTtl, heldLease } from './lease-handle.js';
import { LeaseBusyError } from './types.js';

interface Waiter {
  key: string;
  options: AcquireOptions;
  grant(lease: Lease): void;
}

interface Slot {
  holder?: { token: string; expiresAt: number };
  queue: Waiter[];
  timer?: NodeJS.Timeout;
}

export class LocalLeases implements Leases {
  private readonly slots = new Map<string, Slot>();
  private readonly held = new Set<Lease>();
  /** One counter for every key: a later holder of any key has a larger fence. */
  private fence = 0;

  constructor(
    private readonly storageKey: (key: string) => string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Whether `token` holds the lease stored at `where` right now (the fenced commit's check). */
  readonly holds = (where: string, token: string): boolean => {
    const holder = this.slots.get(where)?.holder;
    return holder !== undefined && holder.token === token && holder.expiresAt > Date.now();
  };

  async acquire(key: string, options: AcquireOptions): Promise<Lease> {
    checkTtl(options.ttlMs);
    options.signal?.throwIfAborted();
    const where = this.storageKey(key);
    let slot = this.slots.get(where);
    if (!slot) this.slots.set(where, (slot = { queue: [] }));
    if (slot.queue.length === 0 && free(slot)) return this.take(key, where, slot, options);
    if (options.waitMs <= 0) throw new LeaseBusyError(key, 0);
    return this.enqueue(key, where, slot, options);
  }

  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.held].map((lease) => lease.release()));
  }

  private enqueue(key: string, where: string, slot: Slot, options: AcquireOptions): Promise<Lease> {
    const started = Date.now();
    return new Promise<Lease>((resolve, reject) => {
      const leave = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        const at = slot.queue.indexOf(waiter);
        if (at >= 0) slot.queue.splice(at, 1);
      };
      const abort = (): void => {
        leave();
        this.handOver(where, slot);
        reject(options.signal?.reason);
      };
      const waiter: Waiter = {
        key,
        options,
        grant: (lease) => {
          leave();
          resolve(lease);
        },
      };
      const timer = setTimeout(() => {
        leave();
        this.handOver(where, slot);
        reject(new LeaseBusyError(key, Date.now() - started));
      }, options.waitMs);
      options.signal?.addEventListener('abort', abort, { once: true });
      slot.queue.push(waiter);
      this.watchExpiry(where, slot);
    });
  }

  private take(key: string, where: string, slot: Slot, options: AcquireOptions): Lease {
    const token = randomUUID();
    slot.holder = { token, expiresAt: Date.now() + options.ttlMs };
    const lease = heldLease({
      key,
      token,
      fence: ++this.fence,
      ttlMs: options.ttlMs,
      autoRenew: options.autoRenew ?? true,
      renew: async () => this.renew(where, token, options.ttlMs),
      release: async () => this.release(where, token),
      ended: (ended) => this.held.delete(ended),
      onError: this.onError,
    });
    this.held.add(lease);
    return lease;
  }

  private renew(where: string, token: string, ttlMs: number): boolean {
    const holder = this.slots.get(where)?.holder;
    if (!holder || !this.holds(where, token)) return false;
    holder.expiresAt = Date.now() + ttlMs;
    return true;
  }

  private release(where: string, token: string): void {
    const slot = this.slots.get(where);
    if (slot?.holder?.token !== token) return;
    slot.holder = undefined;
    this.handOver(where, slot);
  }

  /** Gives a free key to the first waiters in line; forgets an idle key. */
  private handOver(where: string, slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    let next: Waiter | undefined;
    while (free(slot) && (next = slot.queue[0])) next.grant(this.take(next.key, where, slot, next.options));
    if (slot.queue.length > 0) this.watchExpiry(where, slot);
    else if (free(slot) && this.slots.get(where) === slot) this.slots.delete(where);
  }

  /** With waiters in line, looks again when the holder's lease would expire. */
  private watchExpiry(where: string, slot: Slot): void {
    if (slot.timer || !slot.holder) return;
    slot.timer = setTimeout(
      () => {
        slot.timer = undefined;
        this.handOver(where, slot);
      },
      Math.max(1, slot.holder.expiresAt - Date.now() + 1),
    );
    slot.timer.unref();
  }
}

function free(slot: Slot): boolean {
  return !slot.holder || slot.holder.expiresAt <= Date.now();
}
