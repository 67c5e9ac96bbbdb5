import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { conversationKey, type ConversationRef } from './conversation.js';
import type { Job, JobData, JobStore } from '../memory/jobs.js';
import type { KeyedLock } from '../util/lock.js';

export interface SchedulerLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SchedulerDeps {
  store: JobStore;
  clock: Clock;
  /** The engine's conversation lock: a job runs under it, like a turn. */
  lock: KeyedLock;
  /** Names that have a handler. */
  handles(name: string): boolean;
  /** Runs a job (its conversation's lock is held) and announces it; true when it ended well. */
  run(job: Job): Promise<boolean>;
  log: SchedulerLogger;
}

export interface StartOptions {
  /** Only the conversations this process shows (e.g. the terminal's channel); default all. */
  only?: (ref: ConversationRef) => boolean;
  /**
   * false: arm no in-process timers (a one-shot run, where the stored deadline is the timer:
   * the next start closes what is overdue). Default true.
   */
  timers?: boolean;
}

/** A job this process knows about, with its timer when one is armed. */
interface Entry {
  job: Job;
  handle?: unknown;
}

/** setTimeout takes at most 2^31 - 1 ms; a later job re-arms when that fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The engine's durable schedule: each job is stored first, then armed as a timer on the
 * engine's clock. A due job runs under its conversation's lock and is removed afterwards, unless
 * it was scheduled again meanwhile. At start-up the stored jobs of the platforms this process
 * serves are loaded: the overdue ones run at once, the rest are armed. A turn in a conversation
 * first runs that conversation's overdue jobs (`runDue`).
 */
export class JobScheduler {
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly running = new Set<Promise<void>>();
  private timers = true;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Stores the job (replacing one of the same name), then arms it. Throws when the store fails. */
  async schedule(ref: ConversationRef, name: string, dueAt: number, data: JobData): Promise<void> {
    if (!this.deps.handles(name)) throw new Error(`No job handler is registered for "${name}".`);
    const job: Job = { conversation: ref, name, dueAt, data, id: randomUUID() };
    await this.deps.store.put(job);
    this.arm(job);
  }

  /** Forgets the job; a store failure is logged (a stale job finds nothing to do when it runs). */
  async cancel(ref: ConversationRef, name: string): Promise<void> {
    const key = conversationKey(ref);
    const entry = this.entries.get(key)?.get(name);
    if (entry) this.disarm(key, entry);
    await this.deps.store
      .remove(key, name)
      .catch((err: unknown) => this.deps.log.warn({ err, conversation: key, job: name }, 'could not remove a cancelled job'));
  }

  async cancelAll(ref: ConversationRef): Promise<void> {
    const key = conversationKey(ref);
    for (const entry of [...(this.entries.get(key)?.values() ?? [])]) this.disarm(key, entry);
    await this.deps.store.removeAll(key).catch((err: unknown) => this.deps.log.warn({ err, conversation: key }, "could not remove a conversation's jobs"));
  }

  /** Loads the stored jobs of `platforms`: runs the overdue ones now (awaited), arms the rest. */
  async start(platforms: readonly string[], opts: StartOptions = {}): Promise<void> {
    if (opts.timers === false) this.timers = false;
    let jobs: Job[];
    try {
      jobs = await this.deps.store.pending(platforms);
    } catch (err) {
      this.deps.log.error({ err, platforms }, 'could not load the stored jobs; overdue windows close when their conversation is next used');
      return;
    }
    const now = this.deps.clock.now();
    const overdue: Entry[] = [];
    for (const job of jobs) {
      if (opts.only && !opts.only(job.conversation)) continue;
      if (!this.deps.handles(job.name)) {
        this.deps.log.warn({ job: job.name, conversation: conversationKey(job.conversation) }, 'a stored job has no handler; it is left as it is');
        continue;
      }
      if (this.entries.get(conversationKey(job.conversation))?.has(job.name)) continue; // known here already
      const entry = this.arm(job, job.dueAt > now);
      if (job.dueAt <= now) overdue.push(entry);
    }
    await Promise.all(overdue.map((entry) => this.track(this.runEntry(entry))));
  }

  /** Runs the conversation's jobs that are due; the caller holds the conversation's lock. */
  async runDue(key: string): Promise<void> {
    const mine = this.entries.get(key);
    if (!mine) return;
    const now = this.deps.clock.now();
    const due = [...mine.values()].filter((e) => e.job.dueAt <= now).sort((a, b) => a.job.dueAt - b.job.dueAt);
    for (const entry of due) {
      if (this.entries.get(key)?.get(entry.job.name) === entry) await this.execute(key, entry);
    }
  }

  /** Resolves when the jobs that are running have finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Disarms every timer (shutdown); the stored jobs stay for the next start. */
  close(): void {
    for (const mine of this.entries.values()) for (const entry of mine.values()) this.clearTimer(entry);
    this.entries.clear();
  }

  private arm(job: Job, timer = true): Entry {
    const key = conversationKey(job.conversation);
    const previous = this.entries.get(key)?.get(job.name);
    if (previous) this.disarm(key, previous);
    const entry: Entry = { job };
    let mine = this.entries.get(key);
    if (!mine) this.entries.set(key, (mine = new Map<string, Entry>()));
    mine.set(job.name, entry);
    if (timer) this.setTimer(entry);
    return entry;
  }

  private setTimer(entry: Entry): void {
    if (!this.timers) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, entry.job.dueAt - this.deps.clock.now()));
    entry.handle = this.deps.clock.setTimeout(() => {
      entry.handle = undefined;
      if (this.deps.clock.now() < entry.job.dueAt) this.setTimer(entry);
      else void this.track(this.runEntry(entry));
    }, delay);
  }

  private clearTimer(entry: Entry): void {
    if (entry.handle !== undefined) this.deps.clock.clearTimeout(entry.handle);
    entry.handle = undefined;
  }

  private disarm(key: string, entry: Entry): void {
    this.clearTimer(entry);
    const mine = this.entries.get(key);
    if (mine?.get(entry.job.name) !== entry) return;
    mine.delete(entry.job.name);
    if (mine.size === 0) this.entries.delete(key);
  }

  /** Takes the conversation's lock and runs the job, unless it was replaced, cancelled or run meanwhile. */
  private async runEntry(entry: Entry): Promise<void> {
    const key = conversationKey(entry.job.conversation);
    const release = await this.deps.lock.acquire(key);
    try {
      if (this.entries.get(key)?.get(entry.job.name) === entry) await this.execute(key, entry);
    } finally {
      release();
    }
  }

  /**
   * Runs the job (the lock is held), then removes it from the store if it is still this job. A
   * job that failed stays stored and known, without a timer: the next turn there or the next
   * start tries again.
   */
  private async execute(key: string, entry: Entry): Promise<void> {
    const { job } = entry;
    this.disarm(key, entry);
    let ok = false;
    try {
      ok = await this.deps.run(job);
    } catch (err) {
      this.deps.log.error({ err, conversation: key, job: job.name }, 'a scheduled job failed');
    }
    if (ok) {
      await this.deps.store
        .remove(key, job.name, job.id)
        .catch((err: unknown) => this.deps.log.warn({ err, conversation: key, job: job.name }, 'could not remove a job that ran'));
    } else if (!this.entries.get(key)?.has(job.name)) {
      this.arm(job, false);
    }
  }

  private track(work: Promise<void>): Promise<void> {
    const guarded = work.catch((err: unknown) => this.deps.log.error({ err }, 'a scheduled job failed'));
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
    return guarded;
  }
}
