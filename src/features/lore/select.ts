import { estimateTokens } from '../../engine/tokens.js';
import { NameIndex } from './scan.js';
import type { LoreEntry, LoreWhy } from './types.js';

/** A book prepared once per revision: each entry's injected line and cost, and a name index. */
export interface CompiledBook {
  entries: Array<{ entry: LoreEntry; line: string; tokens: number }>;
  names: NameIndex;
}

export function compileEntries(entries: readonly LoreEntry[]): CompiledBook {
  return {
    entries: entries.map((entry) => {
      const line = `${entry.key}${entry.aliases.length ? ` (also: ${entry.aliases.join(', ')})` : ''}: ${entry.text}`;
      return { entry, line, tokens: estimateTokens(line) };
    }),
    names: new NameIndex(entries.length, (i) => (entries[i]!.always ? [] : [entries[i]!.key, ...entries[i]!.aliases])),
  };
}

export type Selection = Pick<LoreWhy, 'used' | 'skipped' | 'quiet'> & { text: string };

/**
 * Chooses the lore for one reply: always-on entries first (in their order), then the entries
 * mentioned in `texts` (through forMatching, newest first), most recently mentioned first. An
 * entry that does not fit what is left of the budget is skipped and the next one is tried.
 */
export function selectLore(book: CompiledBook, texts: readonly string[], budgetTokens: number): Selection {
  // One pass over all the texts (forMatching leaves no newline in them, so none spans two).
  const first = book.names.firstMentions(texts.join('\n'));
  const ends: number[] = [];
  let end = -1;
  for (const text of texts) ends.push((end += text.length + 1));
  const candidates: Array<{ c: CompiledBook['entries'][number]; reason: 'always' | 'mentioned'; rank: number }> = [];
  let quiet = 0;
  book.entries.forEach((c, i) => {
    const at = first[i]!;
    if (c.entry.always) candidates.push({ c, reason: 'always', rank: -1 });
    else if (at >= 0) candidates.push({ c, reason: 'mentioned', rank: ends.findIndex((e) => at < e) });
    else quiet++;
  });
  // Stable sort: ties keep the book's order.
  candidates.sort((a, b) => a.rank - b.rank);
  const out: Selection = { text: '', used: [], skipped: [], quiet };
  const lines: string[] = [];
  let left = budgetTokens;
  for (const { c, reason } of candidates) {
    const item = { key: c.entry.key, tokens: c.tokens, reason };
    if (c.tokens <= left) {
      left -= c.tokens;
      lines.push(c.line);
      out.used.push(item);
    } else {
      out.skipped.push(item);
    }
  }
  out.text = lines.join('\n');
  return out;
}
