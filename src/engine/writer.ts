import { LeaseLostError, StoreConflictError, type ConversationMeta, type ConversationStore, type Turn } from '../memory/types.js';
import type { Observers } from './observer.js';
import type { WindowCache } from './window-cache.js';

export interface WriterInit {
  store: ConversationStore;
  key: string;
  /** The conversation's lease, which every write is fenced by. */
  lease: { token: string };
  /** The rev of the meta as read: the first write builds on it. */
  rev: string | undefined;
  cache: WindowCache;
  observers: Observers;
  /** Called when a write finds the lease taken. */
  onLost(): void;
}

/**
 * Every write of a conversation's meta is a compare-and-set fenced by its lease: it names the rev
 * it builds on (the one read, then each one it wrote) and happens only while the lease is held.
 * Another writer that got there first is StoreConflictError, a lease that expired and may have
 * been taken is LeaseLostError; either way nothing was written, and the window cache forgets the
 * conversation, so no turn is ever served across a failed commit. A write that times out in the
 * client and lands later cannot overwrite a newer turn either: its rev no longer matches.
 */
export class FencedWriter {
  private current: string | undefined;

  constructor(private readonly init: WriterInit) {
    this.current = init.rev;
  }

  /** The rev of the meta as this writer last read or wrote it. */
  get rev(): string | undefined {
    return this.current;
  }

  /** Appends turns with the meta (which carries a new rev). */
  async append(meta: ConversationMeta, turns: Turn[]): Promise<void> {
    await this.write(() => this.init.store.append(this.init.key, meta, turns, this.condition()));
    this.current = meta.rev;
  }

  /** Writes the meta alone (with a new rev); the cached turns stay good for it. */
  async putMeta(meta: ConversationMeta): Promise<void> {
    const before = this.current;
    await this.write(() => this.init.store.putMeta(this.init.key, meta, this.condition()));
    this.current = meta.rev;
    if (before && meta.rev) this.init.cache.carry(this.init.key, before, meta.rev);
  }

  private condition() {
    return { expectRev: this.current, lease: this.init.lease };
  }

  private async write(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.init.cache.forget(this.init.key);
      if (err instanceof StoreConflictError) this.init.observers.casConflict('commit');
      if (err instanceof LeaseLostError) this.init.onLost();
      throw err;
    }
  }
}
