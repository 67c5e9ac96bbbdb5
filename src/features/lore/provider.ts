import type { ContextSlot } from '../../engine/reply.js';
import { readBook, whyKey } from './book.js';
import { createBookCache, DEFAULT_CACHE_BYTES, type BookCache } from './book-cache.js';
import { forMatching } from './keys.js';
import { compileEntries, selectLore } from './select.js';
import type { LoreWhy } from './types.js';

export interface LoreSlotOptions {
  /** How many of the recent turns (besides the new one) are scanned for keys. Default 8. */
  scanTurns?: number;
  /** Bytes of compiled books kept in process (see book-cache.ts). Default 32 MB. */
  cacheBytes?: number;
  /** The cache itself (default: createBookCache(cacheBytes)); tests pass one to look into it. */
  cache?: BookCache;
  /** Most tokens of lore in one reply's context (less when the context is small). Default 600. */
  maxTokens?: number;
}

export const LORE_LABEL = 'Lore (facts of this world to keep consistent)';

/**
 * The lore slot of each reply's context: one record read per reply (the conversation's book),
 * entries compiled once per book revision, and a small record of what was used and skipped
 * (for `lore why`), written only when the conversation has lore.
 */
export function createLoreSlot(options: LoreSlotOptions = {}): ContextSlot {
  const scanTurns = options.scanTurns ?? 8;
  const cache = options.cache ?? createBookCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  return {
    label: LORE_LABEL,
    maxTokens: options.maxTokens ?? 600,
    async fill(session, recent, next, budgetTokens) {
      const book = await readBook(session);
      if (book.entries.length === 0) return '';
      let hit = cache.get(session.key);
      if (!hit || hit.rev !== book.rev) {
        hit = { rev: book.rev, compiled: compileEntries(book.entries) };
        cache.set(session.key, hit);
      }

      const texts = [next.text];
      for (let i = recent.length - 1; i >= 0 && texts.length <= scanTurns; i--) texts.push(recent[i]!.text);
      const chosen = selectLore(hit.compiled, texts.map(forMatching), budgetTokens);
      const why: LoreWhy = {
        turn: session.meta.count,
        at: session.now(),
        budget: budgetTokens,
        used: chosen.used,
        skipped: chosen.skipped,
        quiet: chosen.quiet,
      };
      // Recorded once the reply is saved: a failed turn or a draft leaves `lore why` as it was. A
      // late write (a process that stalled after its commit) never replaces a newer reply's.
      return {
        text: chosen.text,
        afterCommit: async () => {
          await session.updateRecord<LoreWhy>(whyKey(session.key), (stored) => (stored && stored.at > why.at ? stored : why));
        },
      };
    },
  };
}
