/**
 * Conversation memory: our own small interface over Keyv. One conversation is a channel, a
 * thread or a DM, namespaced by platform and workspace/guild (see conversationKey).
 *
 * Layout: one meta record per conversation plus one record per turn, indexed 0..count-1.
 * A turn's cost never grows with the conversation: the engine reads the meta and a bounded
 * window of recent turns, and appends the new turns before writing the meta (the meta is the
 * commit point, so a crash between the two leaves nothing visible).
 *
 * Compare-and-set: a write may name the meta revision it builds on (`{ expectRev }`); it then
 * happens only if the stored meta's `rev` still equals it, atomically with its turns, and
 * otherwise throws StoreConflictError having written nothing. For that to mean anything, every
 * write of the meta must carry a new `rev` (the caller sets it, e.g. randomUUID()). A write may
 * also be fenced by the conversation's lease (`{ expectRev, lease }`, see coordination.ts).
 */

export interface Turn {
  role: 'user' | 'assistant';
  /** Platform user id of the speaker ('muse' for the assistant). */
  userId: string;
  /** Display name at the time of speaking. */
  name: string;
  text: string;
  /** Epoch milliseconds. */
  at: number;
  /** What produced the turn: a plain message, a command's request, a story direction, ... */
  kind?: string;
  /** A story beat's characters who speak in it (lines `Name: "…"` of the text), in order. */
  speakers?: string[];
}

export interface ConversationMeta {
  /** Number of turns ever appended (the next turn's index). */
  count: number;
  /** First turn index of the current story/session; earlier turns are not in context. */
  base: number;
  /** Rolling summary of turns [base, summarizedUpTo). */
  summary: string;
  summarizedUpTo: number;
  /** Persona name in use. */
  persona: string;
  /** Set when the persona in use is an imported one: the tenant it belongs to (else a built-in). */
  personaTenant?: string;
  /** Free-form per-conversation settings (tutor subject, story options, ...). */
  settings: Record<string, unknown>;
  updatedAt: number;
  /**
   * The meta's revision: callers give every write of the meta a new one (a conditional write
   * insists on it). A process trusts its cache of recent turns while the rev is unchanged, and
   * a conditional write names the rev it builds on.
   */
  rev?: string;
  /** Set when the conversation's first turn is saved; a cleared conversation gets a new one. */
  epoch?: string;
}

export function emptyMeta(persona: string): ConversationMeta {
  return { count: 0, base: 0, summary: '', summarizedUpTo: 0, persona, settings: {}, updatedAt: 0 };
}

/** What a user reads when the store fails, whatever the error says (see StoreUnavailableError). */
export const STORE_UNAVAILABLE = "Muse can't reach its memory store right now, so nothing was saved; please try again in a moment.";

/**
 * Thrown when the store cannot be reached. Users always read STORE_UNAVAILABLE; a message of its
 * own (naming the SQLite file that could not be opened) is for the operator and the log.
 */
export class StoreUnavailableError extends Error {
  constructor(message = STORE_UNAVAILABLE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Thrown by a conditional write whose expected rev no longer matches the stored meta: another
 * write got there first, and nothing of this one was saved.
 */
export class StoreConflictError extends Error {
  constructor(
    readonly conversation: string,
    readonly expectedRev: string | undefined,
    message = 'Something else changed this conversation at the same moment, so nothing was saved; please try again.',
  ) {
    super(message);
    this.name = 'StoreConflictError';
  }
}

/**
 * Thrown by a write fenced by a lease (`{ lease }`) when that lease is no longer held by its
 * token: it expired and another holder may have taken the conversation. Nothing was written.
 * Also what a Lease's `lost` signal carries as its reason.
 */
export class LeaseLostError extends Error {
  constructor(
    readonly key: string,
    message = 'This took so long that Muse had to hand the conversation on, so nothing of it was saved; please try again.',
  ) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** Thrown by leases.acquire() when the key stayed held by someone else for all of `waitMs`. */
export class LeaseBusyError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
    message = 'Muse is still busy with another reply in this conversation; please try again in a moment.',
  ) {
    super(message);
    this.name = 'LeaseBusyError';
  }
}

/** Makes a write conditional on the stored meta's revision (and, fenced, on a lease). */
export interface CommitCondition {
  /**
   * The `rev` of the meta this write builds on. `undefined`: no meta is stored yet (or only one
   * without a rev). The write's own meta must carry a different, non-empty rev.
   */
  expectRev: string | undefined;
  /**
   * Fencing: the write happens only while the lease on this conversation (leases.acquire with
   * the conversation as key) is still held by this token; else LeaseLostError, nothing written.
   * A Lease can be passed as it is.
   */
  lease?: { token: string };
}

export interface ConversationStore {
  getMeta(conversation: string): Promise<ConversationMeta | undefined>;
  /** Turns with indexes in [from, to), in order; missing ones are skipped. */
  getTurns(conversation: string, from: number, to: number): Promise<Turn[]>;
  /**
   * Appends `turns` at indexes meta.count - turns.length .. meta.count - 1, then writes meta.
   * The caller passes the meta as it should be after the append. With a condition, the turns
   * and the meta are written together only if the stored rev matches (else StoreConflictError)
   * and, with `lease`, only while that lease is held (else LeaseLostError).
   */
  append(conversation: string, meta: ConversationMeta, turns: Turn[], condition?: CommitCondition): Promise<void>;
  /** Writes the meta alone; with a condition, as append() does (StoreConflictError, LeaseLostError). */
  putMeta(conversation: string, meta: ConversationMeta, condition?: CommitCondition): Promise<void>;
  /** Removes the conversation's meta and turns. */
  clear(conversation: string): Promise<void>;
  /**
   * Deletes the turns with indexes in [from, to), leaving the meta as it is. For turns no meta
   * reaches any more (before a cleared conversation's `base`), which nothing writes again.
   */
  deleteTurns(conversation: string, from: number, to: number): Promise<void>;
  /** Generic records (per-learner progress, lore, ...), JSON values. */
  getRecord<T>(key: string): Promise<T | undefined>;
  setRecord<T>(key: string, value: T): Promise<void>;
  deleteRecord(key: string): Promise<void>;
  close(): Promise<void>;
}
