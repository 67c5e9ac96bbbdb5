/**
 * The job store with claims for one process (memory://, sqlite://): today's RecordJobStore keeps
 * the jobs (so SQLite files keep the windows they hold), and the claims live beside it in
 * process. A claim hides a job (by its id) until `visibilityMs` has passed; a job put again gets
 * a new id and so is not hidden. After a restart nothing is claimed, as after any claim expired.
 */
import { conversationKey } from './conversation-key.js';
import type { Job } from './jobs.js';
import { RecordJobStore } from './record-job-store.js';
import { checkClaim } from './coordination.js';
import type { ClaimingJobStore, ClaimOptions } from './coordination.js';
import type { ConversationStore } from './types.js';

export class LocalClaimingJobStore implements ClaimingJobStore {
  private readonly jobs: RecordJobStore;
  /** Claimed job ids and when they may be claimed again. */
  private readonly hidden = new Map<string, number>();

  constructor(store: ConversationStore) {
    this.jobs = new RecordJobStore(store);
  }

  put(job: Job): Promise<void> {
    return this.jobs.put(job);
  }

  remove(conversation: string, name: string, id?: string): Promise<void> {
    return this.jobs.remove(conversation, name, id);
  }

  removeAll(conversation: string): Promise<void> {
    return this.jobs.removeAll(conversation);
  }

  due(now: number, platforms: readonly string[]): Promise<Job[]> {
    return this.jobs.due(now, platforms);
  }

  pending(platforms: readonly string[]): Promise<Job[]> {
    return this.jobs.pending(platforms);
  }

  async claim(now: number, platforms: readonly string[], options: ClaimOptions): Promise<Job[]> {
    checkClaim(options);
    const due = await this.jobs.due(now, platforms);
    // From here on synchronous: a claim running alongside sees these marks.
    for (const [id, visibleAt] of this.hidden) if (visibleAt <= now) this.hidden.delete(id);
    const claimed: Job[] = [];
    for (const job of due) {
      if (claimed.length >= options.limit) break;
      if (this.hidden.has(job.id)) continue;
      this.hidden.set(job.id, now + options.visibilityMs);
      claimed.push(job);
    }
    return claimed;
  }

  release(job: Job): Promise<void> {
    this.hidden.delete(job.id);
    return Promise.resolve();
  }

  async complete(job: Job): Promise<void> {
    await this.jobs.remove(conversationKey(job.conversation), job.name, job.id);
    this.hidden.delete(job.id);
  }
}
