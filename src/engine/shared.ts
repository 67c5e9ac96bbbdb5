import type { Dedupe } from '../memory/coordination.js';
import type { ConversationStore } from '../memory/types.js';
import { LruMap } from '../util/lru.js';
import type { Observers } from './observer.js';

/** How long a delivery is remembered by default: longer than any platform retries one. */
const DEFAULT_DEDUPE_MS = 60 * 60 * 1000;

/**
 * What the adapters share with every other process through the store: which platform deliveries
 * were already taken (Slack's retries, an event sent to two processes, a post that arrives as two
 * events), and small marks (the threads Muse takes part in). A small cache in front answers
 * repeats within this process without a round trip.
 */
export class SharedState {
  private readonly recent = new LruMap<string, number>(20_000);
  private readonly marks = new LruMap<string, true>(20_000);

  constructor(
    private readonly dedupe: Dedupe,
    private readonly store: ConversationStore,
    private readonly observers: Observers,
  ) {}

  /**
   * True for the first delivery of `key` from `source` (e.g. 'slack.event' and its event id)
   * across every process sharing the store, until `ttlMs` has passed; false for a repeat, which
   * is counted as a duplicate suppressed. When the store cannot answer it says true (a duplicate
   * reply is better than a lost one) and the store logs why.
   */
  async firstDelivery(source: string, key: string, ttlMs = DEFAULT_DEDUPE_MS): Promise<boolean> {
    const id = `${source}:${key}`;
    const until = this.recent.get(id);
    if (until !== undefined && until > Date.now()) {
      this.observers.duplicateSuppressed(source);
      return false;
    }
    const first = await this.dedupe.claim(id, ttlMs);
    this.recent.set(id, Date.now() + ttlMs);
    if (!first) this.observers.duplicateSuppressed(source);
    return first;
  }

  /** Marks `key` for every process (kept in the store's records). Throws StoreUnavailableError. */
  async mark(key: string): Promise<void> {
    await this.store.setRecord(markKey(key), true);
    this.marks.set(key, true);
  }

  /** Whether `key` was marked, by any process. Throws StoreUnavailableError. */
  async marked(key: string): Promise<boolean> {
    if (this.marks.get(key)) return true;
    const found = (await this.store.getRecord<boolean>(markKey(key))) === true;
    if (found) this.marks.set(key, true);
    return found;
  }
}

function markKey(key: string): string {
  return `mark:${key}`;
}
