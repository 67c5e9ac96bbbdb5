import { sameKey } from './keys.js';
import type { LoreEntry } from './types.js';

/**
 * The book's entries with `incoming` added: an entry whose key matches one of the book's (as
 * sameKey compares them) replaces it in place, so the order holds; the others go at the end.
 * Linear in both (a map by key), where adding them one by one with upsert is quadratic.
 * `incoming` has one entry per key (as an import gives them).
 */
export function mergeEntries(book: readonly LoreEntry[], incoming: readonly LoreEntry[]): { entries: LoreEntry[]; added: number; replaced: number } {
  const at = new Map<string, number>();
  book.forEach((e, i) => at.set(sameKey(e.key), i));
  const entries = [...book];
  let replaced = 0;
  for (const entry of incoming) {
    const i = at.get(sameKey(entry.key));
    if (i === undefined) {
      entries.push(entry);
    } else {
      entries[i] = entry;
      replaced++;
    }
  }
  return { entries, added: incoming.length - replaced, replaced };
}
