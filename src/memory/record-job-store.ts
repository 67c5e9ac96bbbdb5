import type { ConversationStore } from './types.js';
import { conversationKey, platformOfKey } from './conversation-key.js';
import type { Job, JobStore } from './jobs.js';
import { KeyedLock } from '../util/lock.js';

/** One record per platform and bucket: its jobs by conversation key, then by name. */
interface BucketJobs {
  jobs: Record<string, Record<string, Job>>;
}

/**
 * A platform's jobs are spread over this many records by conversation, so scheduling rewrites
 * a small record however many windows are open; start-up reads them all.
 */
const BUCKETS = 32;

function bucketOf(conversation: string): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < conversation.length; i++) h = Math.imul(h ^ conversation.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

// Every RecordJobStore over the same ConversationStore in this process shares one lock per
// record, so their read-modify-writes never interleave.
const locks = new WeakMap<ConversationStore, KeyedLock>();

/**
 * The job store over the conversation store's generic records, so it works on memory, SQLite,
 * Redis and Postgres alike: each platform's jobs live in a few records (by conversation),
 * changed under a lock. It is safe for one process per platform (no other process writes that
 * platform's records); many processes serving one platform need a store with claims (a Redis
 * sorted set, a table).
 */
export class RecordJobStore implements JobStore {
  private readonly lock: KeyedLock;

  constructor(private readonly store: ConversationStore) {
    let lock = locks.get(store);
    if (!lock) locks.set(store, (lock = new KeyedLock()));
    this.lock = lock;
  }

  put(job: Job): Promise<void> {
    const key = conversationKey(job.conversation);
    return this.change(job.conversation.platform, key, (all) => {
      all.jobs[key] = { ...all.jobs[key], [job.name]: job };
      return true;
    });
  }

  remove(conversation: string, name: string, id?: string): Promise<void> {
    return this.change(platformOfKey(conversation), conversation, (all) => {
      const mine = all.jobs[conversation];
      const job = mine?.[name];
      if (!mine || !job || (id !== undefined && job.id !== id)) return false;
      delete mine[name];
      if (Object.keys(mine).length === 0) delete all.jobs[conversation];
      return true;
    });
  }

  removeAll(conversation: string): Promise<void> {
    return this.change(platformOfKey(conversation), conversation, (all) => {
      if (!all.jobs[conversation]) return false;
      delete all.jobs[conversation];
      return true;
    });
  }

  async due(now: number, platforms: readonly string[]): Promise<Job[]> {
    return (await this.pending(platforms)).filter((job) => job.dueAt <= now);
  }

  async pending(platforms: readonly string[]): Promise<Job[]> {
    const out: Job[] = [];
    for (const platform of new Set(platforms)) {
      // One record at a time: start-up may be the store's first use, and a fresh Redis client
      // refuses commands sent together while it is still connecting.
      for (let b = 0; b < BUCKETS; b++) {
        const all = await this.read(this.recordKey(platform, b));
        for (const byName of Object.values(all.jobs)) out.push(...Object.values(byName));
      }
    }
    return out.sort((a, b) => a.dueAt - b.dueAt);
  }

  private recordKey(platform: string, bucket: number): string {
    return `schedule:${encodeURIComponent(platform)}:${bucket}`;
  }

  private async read(recordKey: string): Promise<BucketJobs> {
    return (await this.store.getRecord<BucketJobs>(recordKey)) ?? { jobs: {} };
  }

  /** Reads the conversation's record, applies `edit`, and writes it back when `edit` changed it. */
  private async change(platform: string, conversation: string, edit: (all: BucketJobs) => boolean): Promise<void> {
    const key = this.recordKey(platform, bucketOf(conversation));
    const release = await this.lock.acquire(key);
    try {
      const all = await this.read(key);
      if (!edit(all)) return;
      if (Object.keys(all.jobs).length === 0) await this.store.deleteRecord(key);
      else await this.store.setRecord(key, all);
    } finally {
      release();
    }
  }
}
