/**
 * Conversation memory: our own small interface over Keyv. One conversation is a channel, a
 * thread or a DM, namespaced by platform and workspace/guild (see conversationKey).
 *
 * Layout: one meta record per conversation plus one record per turn, indexed 0..count-1.
 * A turn's cost never grows with the conversation: the engine reads the meta and a bounded
 * window of recent turns, and appends the new turns before writing the meta (the meta is the
 * commit point, so a crash between the two leaves nothing visible).
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
  /** Free-form per-conversation settings (tutor subject, story options, ...). */
  settings: Record<string, unknown>;
  updatedAt: number;
  /** Changes with every append of turns (lets a process trust its cache of recent turns). */
  rev?: string;
  /** Set when the conversation's first turn is saved; a cleared conversation gets a new one. */
  epoch?: string;
}

export function emptyMeta(persona: string): ConversationMeta {
  return { count: 0, base: 0, summary: '', summarizedUpTo: 0, persona, settings: {}, updatedAt: 0 };
}

/** Thrown when the store cannot be reached; the message is a sentence fit for a user. */
export class StoreUnavailableError extends Error {
  constructor(message = "Muse can't reach its memory store right now, so nothing was saved; please try again in a moment.", options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface ConversationStore {
  getMeta(conversation: string): Promise<ConversationMeta | undefined>;
  /** Turns with indexes in [from, to), in order; missing ones are skipped. */
  getTurns(conversation: string, from: number, to: number): Promise<Turn[]>;
  /**
   * Appends `turns` at indexes meta.count - turns.length .. meta.count - 1, then writes meta.
   * The caller passes the meta as it should be after the append.
   */
  append(conversation: string, meta: ConversationMeta, turns: Turn[]): Promise<void>;
  putMeta(conversation: string, meta: ConversationMeta): Promise<void>;
  /** Removes the conversation's meta and turns. */
  clear(conversation: string): Promise<void>;
  /** Generic records (per-learner progress, lore, ...), JSON values. */
  getRecord<T>(key: string): Promise<T | undefined>;
  setRecord<T>(key: string, value: T): Promise<void>;
  deleteRecord(key: string): Promise<void>;
  close(): Promise<void>;
}
