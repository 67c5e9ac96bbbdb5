import type { LoreEntry } from './types.js';

/**
 * Caps on a conversation's lore besides MAX_ENTRIES and MAX_TEXT_CHARS (types.ts), so that an
 * imported file cannot make a book that costs much to store, compile or scan.
 */

/** Aliases per entry (besides its key). */
export const MAX_ALIASES = 32;
/** Longest key or alias, in characters. */
export const MAX_NAME_CHARS = 100;
/** Most lore a conversation holds: keys, aliases and texts of all its entries, in characters. */
export const MAX_BOOK_CHARS = 2_000_000;

/** The characters an entry counts toward MAX_BOOK_CHARS. */
export function entryChars(entry: Pick<LoreEntry, 'key' | 'aliases' | 'text'>): number {
  let n = entry.key.length + entry.text.length;
  for (const alias of entry.aliases) n += alias.length;
  return n;
}

export function bookChars(entries: ReadonlyArray<Pick<LoreEntry, 'key' | 'aliases' | 'text'>>): number {
  let n = 0;
  for (const entry of entries) n += entryChars(entry);
  return n;
}

/** 2000000 → "2,000,000". */
export const count = (n: number): string => n.toLocaleString('en-US');
