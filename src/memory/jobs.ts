import type { ConversationRef } from './conversation-key.js';

/**
 * Timers as data: work Muse does later in a conversation (a vote window closing) is a named job
 * kept in the store, so it survives a restart. The engine knows jobs and their handlers by name
 * only; the features register the handlers (see Feature.jobs).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a job carries for its handler (e.g. { pollId }): JSON, as it is stored. */
export type JobData = Record<string, JsonValue>;

export interface Job {
  conversation: ConversationRef;
  /** The handler's name, e.g. 'story.poll'. A conversation has at most one job of a name. */
  name: string;
  /** When it runs: epoch milliseconds by the engine's clock. */
  dueAt: number;
  data: JobData;
  /** New each time the job is scheduled: removing a job that ran checks it was not replaced meanwhile. */
  id: string;
}

/**
 * Where jobs are kept. Small and claim-friendly: a runner lists what is due, runs it, then
 * removes it only if it is unchanged (`id`), so a job scheduled again meanwhile stays.
 */
export interface JobStore {
  /** Stores the job, replacing the conversation's job of the same name. */
  put(job: Job): Promise<void>;
  /** Removes the conversation's job `name`; with `id`, only while it is still that job. */
  remove(conversation: string, name: string, id?: string): Promise<void>;
  /** Removes every job of the conversation (its memory was cleared). */
  removeAll(conversation: string): Promise<void>;
  /** The jobs of these platforms that are due at `now`, earliest first. */
  due(now: number, platforms: readonly string[]): Promise<Job[]>;
  /** Every job of these platforms, earliest first (what a process loads at start-up). */
  pending(platforms: readonly string[]): Promise<Job[]>;
}
