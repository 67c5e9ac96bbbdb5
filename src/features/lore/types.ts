/** One fact of the story bible, injected when its key or an alias comes up. */
export interface LoreEntry {
  /** The name that triggers the entry and identifies it (add replaces, remove finds it), as written. */
  key: string;
  /** Other names that trigger it ("the red dragon" for Ember). */
  aliases: string[];
  text: string;
  /** Injected into every reply, mentioned or not. */
  always: boolean;
  /** Who added it (display name), and the file when it was imported: shown, never compared. */
  by: string;
  /** The platform id of who added or imported it: whose entry it is (unset on entries from before ids were kept: nobody's). */
  byId?: string;
  at: number;
}

/** The stored record of one conversation's lore. */
export interface LoreBook {
  /** Changes with every write (lets the provider reuse its compiled matchers). */
  rev: string;
  entries: LoreEntry[];
}

/** What the provider chose for the last reply, for `lore why`. */
export interface LoreWhy {
  /** Index of the turn the reply answered. */
  turn: number;
  at: number;
  budget: number;
  used: Array<{ key: string; tokens: number; reason: 'always' | 'mentioned' }>;
  skipped: Array<{ key: string; tokens: number; reason: 'always' | 'mentioned' }>;
  /** Entries neither always on nor mentioned. */
  quiet: number;
}

/** At most this many entries per conversation (imports included). */
export const MAX_ENTRIES = 1000;
/** Longest entry text, in characters (imports included). */
export const MAX_TEXT_CHARS = 8000;
