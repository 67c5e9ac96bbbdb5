import { isVowel } from './dictionary.js';
import { lineWords, lookup } from './words.js';

/**
 * English syllable counts. A word in the CMU dictionary has as many syllables as vowel phones,
 * and every listed pronunciation counts (so "fire" may be one syllable or two). Other words
 * are counted by a spelling rule (fallbackSyllables).
 */

/** The possible syllable counts of one word, smallest first. */
export function wordSyllables(word: string): number[] {
  const prons = lookup(word);
  if (prons) return unique(prons.map((p) => p.filter(isVowel).length));
  if (word.includes('-')) {
    const parts = word.split('-').filter(Boolean);
    if (parts.length > 1) return combine(parts.map(wordSyllables));
  }
  return [fallbackSyllables(word)];
}

/** The possible syllable counts of a line (every combination of the words' counts). */
export function lineSyllables(line: string): number[] {
  return combine(lineWords(line).map(wordSyllables));
}

/** The possible count nearest to `target` (the one a reader would choose). */
export function nearest(counts: readonly number[], target: number): number {
  let best = counts[0] ?? 0;
  for (const c of counts) if (Math.abs(c - target) < Math.abs(best - target)) best = c;
  return best;
}

/**
 * The spelling rule for words the dictionary lacks: count vowel groups (y counts as a vowel
 * after the first letter), then drop a silent final e (but not -le after a consonant), a silent
 * -es and -ed, add back vowel pairs that are two syllables (-ia, -io, -eo, -ua, -uo), and treat
 * an elided apostrophe as the poet wrote it ("o'er" is one syllable, "th'" none).
 */
export function fallbackSyllables(word: string): number {
  const elided = word.includes("'");
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 0;
  const groups = w.match(/[aeiou]+|(?<=.)y+/g) ?? [];
  if (groups.length === 0) return elided ? 0 : 1;
  let n = groups.length;
  if (n > 1 && /[^aeiouy]e$/.test(w) && !/[^aeiouy]le$/.test(w))
    n--; // cake, shade (not table)
  else if (n > 1 && /[^aeiouy]es$/.test(w) && !/(?:[sxz]|ch|sh|[cg]|[^aeiouy]l)es$/.test(w))
    n--; // makes (not boxes, pages, tables)
  else if (n > 1 && /[^aeiouy]ed$/.test(w) && !/[td]ed$/.test(w)) n--; // jumped (not wanted)
  // Vowel pairs read as two syllables: lion, via, video, dual, duo (not -tion, -sion, -cious).
  for (const m of w.matchAll(/(?:ia|io|eo|ua|uo|iu)/g)) {
    const before = w.slice(Math.max(0, m.index - 2), m.index);
    if (m[0].startsWith('i') && /[tscgx]$/.test(before)) continue; // nation, vision, region
    if (m[0] === 'ua' && /q|g$/.test(before)) continue; // quart, guard
    if (m[0] === 'uo' && /q$/.test(before)) continue;
    n++;
  }
  return Math.max(1, n);
}

function combine(sets: number[][]): number[] {
  let sums = [0];
  for (const set of sets) {
    const next = new Set<number>();
    for (const s of sums) for (const c of set) next.add(s + c);
    sums = [...next];
    if (sums.length > 64) sums = [Math.min(...sums), Math.max(...sums)];
  }
  return unique(sums);
}

function unique(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}
