import type { ConversationStore } from '../memory/types.js';
import { conversationKey, platformOfKey } from './conversation.js';
import type { Job, JobStore } from './jobs.js';
import { KeyedLock } from './lock.js';

/** One record per platform: its jobs by conversation key, then by name. */
interface PlatformJobs {
  jobs: Record<string, Record<string, Job>>;
}

// Every RecordJobStore over the same ConversationStore in this process shares one lock per
// record, so their read-modify-writes never interleave.
const locks = new WeakMap<ConversationStore, KeyedLock>();

/**
 * The job store over the conversation store's generic records, so it works on memory, SQLite,
 * Redis and Postgres alike: one record per platform holding that platform's jobs, changed under
 * a lock. It is safe for one process per platform (each platform's jobs are one record); many
 * processes serving the same platform need a store with claims (a Redis sorted set, a table).
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
    return this.change(job.conversation.platform, (all) => {
      all.jobs[key] = { ...all.jobs[key], [job.name]: job };
      return true;
    });
  }

  remove(conversation: string, name: string, id?: string): Promise<void> {
    return this.change(platformOfKey(conversation), (all) => {
      const mine = all.jobs[conversation];
      const job = mine?.[name];
      if (!mine || !job || (id !== undefined && job.id !== id)) return false;
      delete mine[name];
      if (Object.keys(mine).length === 0) delete all.jobs[conversation];
      return true;
    });
  }

  removeAll(conversation: string): Promise<void> {
    return this.change(platformOfKey(conversation), (all) => {
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
      const all = await this.read(platform);
      for (const byName of Object.values(all.jobs)) out.push(...Object.values(byName));
    }
    return out.sort((a, b) => a.dueAt - b.dueAt);
  }

  private recordKey(platform: string): string {
    return `schedule:${encodeURIComponent(platform)}`;
  }

  private async read(platform: string): Promise<PlatformJobs> {
    return (await this.store.getRecord<PlatformJobs>(this.recordKey(platform))) ?? { jobs: {} };
  }

  /** Reads the platform's record, applies `edit`, and writes it back when `edit` changed it. */
  private async change(platform: string, edit: (all: PlatformJobs) => boolean): Promise<void> {
    const key = this.recordKey(platform);
    const release = await this.lock.acquire(key);
    try {
      const all = await this.read(platform);
      if (!edit(all)) return;
      if (Object.keys(all.jobs).length === 0) await this.store.deleteRecord(key);
      else await this.store.setRecord(key, all);
    } finally {
      release();
    }
  }
}
