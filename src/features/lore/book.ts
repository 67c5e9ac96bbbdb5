import { randomUUID } from 'node:crypto';
import type { Session } from '../../engine/session.js';
import { sameKey } from './keys.js';
import type { LoreBook, LoreEntry, LoreWhy } from './types.js';

/** The part of a session lore needs: its key and the record store. */
export type LoreStore = Pick<Session, 'key' | 'record' | 'updateRecord' | 'deleteRecord'>;

/** Record keys, namespaced by conversation (records are shared by all conversations). */
export const bookKey = (conversation: string): string => `lore:${conversation}`;
export const whyKey = (conversation: string): string => `lore-why:${conversation}`;

export async function readBook(session: Pick<LoreStore, 'key' | 'record'>): Promise<LoreBook> {
  return (await session.record<LoreBook>(bookKey(session.key))) ?? { rev: '', entries: [] };
}

/**
 * Changes the book by compare-and-set: `change` gets the entries as stored now (again, if someone
 * else changed them meanwhile) and returns the new ones; it may throw to refuse (nothing is
 * written). An empty book is deleted, with its `lore why`. Resolves with the entries written.
 */
export async function changeBook(session: LoreStore, change: (entries: readonly LoreEntry[]) => LoreEntry[]): Promise<LoreEntry[]> {
  const book = await session.updateRecord<LoreBook>(bookKey(session.key), (stored) => {
    const entries = change(stored?.entries ?? []);
    return entries.length === 0 ? undefined : { rev: randomUUID(), entries };
  });
  if (!book) await session.deleteRecord(whyKey(session.key));
  return book?.entries ?? [];
}

export function readWhy(session: Pick<LoreStore, 'key' | 'record'>): Promise<LoreWhy | undefined> {
  return session.record<LoreWhy>(whyKey(session.key));
}

/** The entry whose key (or else one of whose aliases) is `name`. */
export function findEntry(entries: readonly LoreEntry[], name: string): number {
  const wanted = sameKey(name);
  const byKey = entries.findIndex((e) => sameKey(e.key) === wanted);
  return byKey >= 0 ? byKey : entries.findIndex((e) => e.aliases.some((a) => sameKey(a) === wanted));
}

/** Adds `entry`, or replaces the entry with the same key (in place, so the order holds). */
export function upsert(entries: readonly LoreEntry[], entry: LoreEntry): { entries: LoreEntry[]; replaced?: LoreEntry } {
  const out = [...entries];
  const at = out.findIndex((e) => sameKey(e.key) === sameKey(entry.key));
  if (at < 0) return { entries: [...out, entry] };
  const replaced = out[at]!;
  out[at] = entry;
  return { entries: out, replaced };
}
