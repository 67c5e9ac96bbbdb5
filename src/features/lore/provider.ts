import { LruMap } from '../../util/lru.js';
import type { LoreProvider } from '../../engine/session.js';
import { readBook, whyKey } from './book.js';
import { forMatching } from './keys.js';
import { compileEntries, selectLore, type CompiledBook } from './select.js';
import type { LoreWhy } from './types.js';

export interface LoreProviderOptions {
  /** How many of the recent turns (besides the new one) are scanned for keys. Default 8. */
  scanTurns?: number;
  /** Conversations whose compiled entries are kept in process. Default 500. */
  cacheSize?: number;
}

/**
 * The engine's lore slot: one record read per reply (the conversation's book), entries compiled
 * once per book revision, and a small record of what was used and skipped (for `lore why`),
 * written only when the conversation has lore.
 */
export function createLoreProvider(options: LoreProviderOptions = {}): LoreProvider {
  const scanTurns = options.scanTurns ?? 8;
  const cacheSize = options.cacheSize ?? 500;
  const cache = new LruMap<string, { rev: string; compiled: CompiledBook }>(cacheSize);

  return async (session, recent, next, budgetTokens) => {
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
    const why: LoreWhy = { turn: session.meta.count, at: session.now(), budget: budgetTokens, used: chosen.used, skipped: chosen.skipped, quiet: chosen.quiet };
    // Recorded once the reply is saved: a failed turn or a draft leaves `lore why` as it was.
    return { text: chosen.text, afterCommit: () => session.saveRecord(whyKey(session.key), why) };
  };
}
