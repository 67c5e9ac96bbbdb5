/**
 * Per-key FIFO lock: work for one conversation runs one at a time, in arrival order; different
 * conversations run concurrently. Idle keys are forgotten, so memory does not grow with the
 * number of conversations ever seen.
 *
 * A waiter may pass an AbortSignal: if it aborts before the waiter's turn, the waiter leaves the
 * queue at once (its acquire rejects with the signal's reason) and the ones behind it move up.
 */
export class KeyedLock {
  private readonly queues = new Map<string, Queue>();

  /**
   * Resolves with a release function once every earlier holder of `key` has released. Rejects
   * with `signal.reason` if the signal aborts first (or already has), and then holds nothing.
   */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { held: false, waiters: [] };
      this.queues.set(key, queue);
    }
    if (!queue.held) {
      queue.held = true;
      return Promise.resolve(this.releaser(key, queue));
    }
    const q = queue;
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser(key, q));
        },
      };
      const onAbort = () => {
        const at = q.waiters.indexOf(waiter);
        if (at < 0) return; // already granted
        q.waiters.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      q.waiters.push(waiter);
    });
  }

  /** Keys held or waited for. */
  get size(): number {
    return this.queues.size;
  }

  private releaser(key: string, queue: Queue): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.waiters.shift();
      if (next) return next.grant();
      queue.held = false;
      if (this.queues.get(key) === queue) this.queues.delete(key);
    };
  }
}

interface Waiter {
  grant(): void;
}

interface Queue {
  held: boolean;
  waiters: Waiter[];
}
