import { KeyedLock } from '../../util/lock.js';

/**
 * At most `limit` turns run at once; the rest wait in arrival order. Bolt acknowledges every
 * event before its listener runs, so under a burst the acknowledgements stay fast while the
 * turns queue behind the model instead of all competing for the CPU at once.
 */
export class TurnGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly queues = new KeyedLock();

  constructor(private readonly limit: number) {}

  /**
   * Runs `work` when a slot is free. Work with the same `key` (a conversation) queues before
   * taking a slot, so one busy conversation holds at most one slot and never stalls the others.
   */
  async run<T>(work: () => Promise<T>, key?: string): Promise<T> {
    if (key === undefined) return this.runInSlot(work);
    const release = await this.queues.acquire(key);
    try {
      return await this.runInSlot(work);
    } finally {
      release();
    }
  }

  private async runInSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
