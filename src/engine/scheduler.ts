import { randomUUID } from 'node:crypto';
import type { ClaimingJobStore } from '../memory/coordination.js';
import type { Clock } from './clock.js';
import { conversationKey, type ConversationRef } from './conversation.js';
import type { ConversationLocks, Held } from './hold.js';
import type { Job, JobData } from '../memory/jobs.js';
import type { Observers } from './observer.js';

export interface SchedulerLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SchedulerDeps {
  /** The store's jobs with claims (coordination.ts): shared by every process on Redis and Postgres. */
  jobs: ClaimingJobStore;
  clock: Clock;
  /** The conversation lock and lease: a job runs holding its conversation, like a turn. */
  locks: ConversationLocks;
  /** Names that have a handler. */
  handles(name: string): boolean;
  /** Runs a job in its conversation (held) and announces it; true when it ended well. */
  run(job: Job, held: Held): Promise<boolean>;
  observers: Observers;
  log: SchedulerLogger;
  /** How long a claimed job stays hidden from other claimers (a claimer that dies gives it up then). */
  visibilityMs: number;
  /** How often a started process looks for due jobs, jittered by ±25% (default 1000 ms). */
  pollMs?: number;
}

export interface StartOptions {
  /** Only the conversations this process shows (e.g. the terminal's channel); default all. */
  only?: (ref: ConversationRef) => boolean;
  /**
   * Which jobs of `platforms` this process runs (e.g. a Discord gateway process: the guilds of
   * its shards, DMs on shard 0); default all. A job it claims but does not serve is given back.
   */
  serves?: (job: Job) => boolean;
  /**
   * false: no in-process timers and no polling (a one-shot run, where the stored deadline is the
   * timer: the next start closes what is overdue). Default true.
   */
  timers?: boolean;
}

/** Jobs claimed per call, and calls per round at most (a round ends early once fewer come back). */
const BATCH = 16;
const MAX_CALLS = 8;
/** setTimeout takes at most 2^31 - 1 ms; a later job re-arms when that fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

interface Entry {
  job: Job;
  handle?: unknown;
}

/**
 * The engine's durable schedule (timers as data). A job is stored first (the store's job set:
 * a sorted set on Redis, a table on Postgres, records on memory and SQLite), then a process runs
 * it by claiming it: `claim → run under the conversation's lease → complete`, so each job runs in
 * one process at a time, and one that dies mid-way gives it up after the visibility timeout.
 * Every started process polls for due jobs of the platforms it serves; this process's own timers
 * (for the jobs it scheduled or loaded) only make it claim on time. The handlers check the
 * conversation's state under its lease (a vote already decided says nothing), so across crashes,
 * restarts and several processes each window is announced once. A turn first runs its
 * conversation's due jobs that this process knows (`runDue`), holding the conversation already.
 */
export class JobScheduler {
  private readonly known = new Map<string, Map<string, Entry>>();
  private readonly running = new Set<Promise<void>>();
  private timers = true;
  private stopped = false;
  private platforms: readonly string[] = [];
  private accepts: (job: Job) => boolean = () => true;
  private poller: unknown;
  private readonly wanted = new Set<string>();
  private draining: Promise<void> | undefined;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Stores the job (replacing one of the same name), then arms it. Throws when the store fails. */
  async schedule(ref: ConversationRef, name: string, dueAt: number, data: JobData): Promise<void> {
    if (!this.deps.handles(name)) throw new Error(`No job handler is registered for "${name}".`);
    const job: Job = { conversation: ref, name, dueAt, data, id: randomUUID() };
    await this.deps.jobs.put(job);
    this.remember(job, true);
  }

  /** Forgets the job; a store failure is logged (a stale job finds nothing to do when it runs). */
  async cancel(ref: ConversationRef, name: string): Promise<void> {
    const key = conversationKey(ref);
    const entry = this.known.get(key)?.get(name);
    if (entry) this.forget(key, entry);
    await this.deps.jobs
      .remove(key, name)
      .catch((err: unknown) => this.deps.log.warn({ err, conversation: key, job: name }, 'could not remove a cancelled job'));
  }

  async cancelAll(ref: ConversationRef): Promise<void> {
    const key = conversationKey(ref);
    for (const entry of [...(this.known.get(key)?.values() ?? [])]) this.forget(key, entry);
    await this.deps.jobs.removeAll(key).catch((err: unknown) => this.deps.log.warn({ err, conversation: key }, "could not remove a conversation's jobs"));
  }

  /**
   * Serves `platforms`: loads their stored jobs (armed here, so they are claimed on time), runs
   * the overdue ones now (awaited), then polls for due jobs until close().
   */
  async start(platforms: readonly string[], opts: StartOptions = {}): Promise<void> {
    if (opts.timers === false) this.timers = false;
    this.stopped = false;
    this.platforms = [...new Set(platforms)];
    const { only, serves } = opts;
    this.accepts = (job) => (!only || only(job.conversation)) && (!serves || serves(job));
    try {
      for (const job of await this.deps.jobs.pending(this.platforms)) {
        if (this.accepts(job) && this.deps.handles(job.name) && !this.known.get(conversationKey(job.conversation))?.has(job.name)) this.remember(job, true);
      }
    } catch (err) {
      this.deps.log.error({ err, platforms }, 'could not load the stored jobs; they are claimed when the store answers again');
    }
    await this.claimRound(this.platforms);
    if (this.timers) this.poll();
  }

  /** Runs the conversation's due jobs this process knows; the caller holds the conversation. */
  async runDue(key: string, held: Held): Promise<void> {
    const mine = this.known.get(key);
    if (!mine) return;
    const now = this.deps.clock.now();
    const due = [...mine.values()].filter((e) => e.job.dueAt <= now).sort((a, b) => a.job.dueAt - b.job.dueAt);
    for (const entry of due) {
      if (this.known.get(key)?.get(entry.job.name) === entry) await this.execute(key, entry.job, held);
    }
  }

  /** Resolves when the jobs that are running (and the claims looking for them) have finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Stops polling and disarms every timer (shutdown); the stored jobs stay for the next start. */
  close(): void {
    this.stopped = true;
    if (this.poller !== undefined) this.deps.clock.clearTimeout(this.poller);
    this.poller = undefined;
    for (const mine of this.known.values()) for (const entry of mine.values()) this.clearTimer(entry);
    this.known.clear();
  }

  /** Looks for due jobs every pollMs (jittered, so processes do not claim in step). */
  private poll(): void {
    if (this.poller !== undefined) this.deps.clock.clearTimeout(this.poller);
    this.poller = undefined;
    if (this.stopped || this.platforms.length === 0) return;
    const every = this.deps.pollMs ?? 1000;
    this.poller = this.deps.clock.setTimeout(
      () => {
        this.poller = undefined;
        this.wake(this.platforms);
        this.poll();
      },
      every * (0.75 + Math.random() / 2),
    );
  }

  /** Asks for a claim round on these platforms (one runs at a time; asks meanwhile join the next). */
  private wake(platforms: readonly string[]): void {
    for (const platform of platforms) this.wanted.add(platform);
    this.draining ??= this.track(
      (async () => {
        while (this.wanted.size > 0) {
          const next = [...this.wanted];
          this.wanted.clear();
          await this.claimRound(next);
        }
      })().finally(() => (this.draining = undefined)),
    );
  }

  /** Claims the due jobs of `platforms` and runs the ones this process serves; gives the rest back. */
  private async claimRound(platforms: readonly string[]): Promise<void> {
    const given: Job[] = [];
    try {
      for (let call = 0; call < MAX_CALLS && platforms.length > 0; call++) {
        const claimed = await this.deps.jobs.claim(this.deps.clock.now(), platforms, { visibilityMs: this.deps.visibilityMs, limit: BATCH });
        const mine: Job[] = [];
        for (const job of claimed) (this.deps.handles(job.name) && this.accepts(job) ? mine : given).push(job);
        await Promise.all(mine.map((job) => this.track(this.runClaimed(job))));
        if (claimed.length < BATCH) break;
      }
    } catch (err) {
      this.deps.log.warn({ err, platforms }, 'could not claim due jobs; the next poll tries again');
    }
    for (const job of given) {
      if (!this.deps.handles(job.name))
        this.deps.log.warn({ job: job.name, conversation: conversationKey(job.conversation) }, 'a stored job has no handler here');
      await this.deps.jobs.release(job).catch((err: unknown) => this.deps.log.warn({ err, job: job.name }, 'could not give a job back'));
    }
  }

  /** Takes the claimed job's conversation and runs it; a conversation busy elsewhere leaves it claimed, to come back. */
  private async runClaimed(job: Job): Promise<void> {
    const key = conversationKey(job.conversation);
    let held: Held;
    try {
      held = await this.deps.locks.take(key);
    } catch (err) {
      this.deps.log.warn({ err, conversation: key, job: job.name }, 'a due job could not take its conversation; it comes back after its claim expires');
      return;
    }
    try {
      this.deps.observers.schedulerLateness(this.deps.clock.now() - job.dueAt);
      await this.execute(key, job, held);
    } finally {
      await held.release();
    }
  }

  /**
   * Runs the job (its conversation held), then completes it in the store if it is still this job.
   * A job that failed stays stored, and known here without a timer: the next turn there, or a
   * claim once this one expires, tries again.
   */
  private async execute(key: string, job: Job, held: Held): Promise<void> {
    const entry = this.known.get(key)?.get(job.name);
    if (entry?.job.id === job.id) this.forget(key, entry);
    let ok = false;
    try {
      ok = await this.deps.run(job, held);
    } catch (err) {
      this.deps.log.error({ err, conversation: key, job: job.name }, 'a scheduled job failed');
    }
    if (ok) {
      await this.deps.jobs
        .complete(job)
        .catch((err: unknown) => this.deps.log.warn({ err, conversation: key, job: job.name }, 'could not complete a job that ran'));
    } else if (!this.known.get(key)?.has(job.name)) {
      this.remember(job, false);
    }
  }

  /** Knows the job here (replacing one of the same name), with a timer when asked and allowed. */
  private remember(job: Job, timer: boolean): void {
    const key = conversationKey(job.conversation);
    const previous = this.known.get(key)?.get(job.name);
    if (previous) this.forget(key, previous);
    const entry: Entry = { job };
    let mine = this.known.get(key);
    if (!mine) this.known.set(key, (mine = new Map<string, Entry>()));
    mine.set(job.name, entry);
    if (timer) this.setTimer(entry);
  }

  private setTimer(entry: Entry): void {
    if (!this.timers) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, entry.job.dueAt - this.deps.clock.now()));
    entry.handle = this.deps.clock.setTimeout(() => {
      entry.handle = undefined;
      if (this.deps.clock.now() < entry.job.dueAt) this.setTimer(entry);
      else this.wake([entry.job.conversation.platform]);
    }, delay);
  }

  private clearTimer(entry: Entry): void {
    if (entry.handle !== undefined) this.deps.clock.clearTimeout(entry.handle);
    entry.handle = undefined;
  }

  private forget(key: string, entry: Entry): void {
    this.clearTimer(entry);
    const mine = this.known.get(key);
    if (mine?.get(entry.job.name) !== entry) return;
    mine.delete(entry.job.name);
    if (mine.size === 0) this.known.delete(key);
  }

  private track(work: Promise<void>): Promise<void> {
    const guarded = work.catch((err: unknown) => this.deps.log.error({ err }, 'a scheduled job failed'));
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
    return guarded;
  }
}
