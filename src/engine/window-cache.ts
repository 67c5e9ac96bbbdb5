import { LruMap } from '../util/lru.js';
import type { ConversationMeta, ConversationStore, Turn } from '../memory/types.js';

interface Entry {
  rev: string;
  /** Index of turns[0]. */
  start: number;
  turns: Turn[];
}

/**
 * Recent turns of recently active conversations, kept in process so a turn reads only the
 * meta from the store. Safe with several processes sharing a store: an entry is used only when
 * its `rev` equals the meta's, and every turn append writes a new rev.
 */
export class WindowCache {
  private readonly entries: LruMap<string, Entry>;

  constructor(
    private readonly capacityTurns: number,
    maxConversations = 256,
  ) {
    this.entries = new LruMap(maxConversations);
  }

  /** Turns [from, to) from the cache when it holds them for this meta, else from the store. */
  reader(store: ConversationStore, key: string, meta: ConversationMeta): (from: number, to: number) => Promise<Turn[]> {
    const entry = this.entries.get(key);
    return (from, to) => {
      if (entry && meta.rev && entry.rev === meta.rev && from >= entry.start && to <= entry.start + entry.turns.length) {
        return Promise.resolve(entry.turns.slice(from - entry.start, to - entry.start));
      }
      return store.getTurns(key, from, to);
    };
  }

  /** Records the turns [start, start + turns.length) as current for `rev`. */
  remember(key: string, rev: string, start: number, turns: Turn[]): void {
    const keep = turns.length > this.capacityTurns ? turns.slice(turns.length - this.capacityTurns) : turns;
    this.entries.set(key, { rev, start: start + (turns.length - keep.length), turns: keep });
  }

  /**
   * The meta was written again without touching any turn (rev `from` became `to`): the cached
   * turns stay good for the new rev.
   */
  carry(key: string, from: string, to: string): void {
    const entry = this.entries.get(key);
    if (entry?.rev === from) entry.rev = to;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
