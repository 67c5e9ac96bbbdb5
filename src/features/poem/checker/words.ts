import { pronunciations } from './dictionary.js';

/**
 * Splitting a line of English into the words whose syllables and rhymes count, and finding a
 * word's pronunciations: the word itself, then the elided forms poets write ("possess'd" is
 * "possessed"), each hyphenated part, and numbers spelled out.
 */

/** The words of a line, lower-case, curly apostrophes made straight, numbers spelled out. */
export function lineWords(line: string): string[] {
  const words: string[] = [];
  const tokens =
    line
      .toLowerCase()
      .replace(/[’‘`´]/g, "'")
      .match(/[\p{L}\p{M}\p{N}'-]+/gu) ?? [];
  for (const raw of tokens) {
    const token = trimHyphens(raw);
    if (!token || /^'+$/.test(token)) continue;
    if (/^\d[\d,]*$/.test(token)) words.push(...numberWords(Number(token.replace(/,/g, ''))));
    else words.push(token);
  }
  return words;
}

/** The token without hyphens at its ends, by a loop (/-+$/ is quadratic on a run of hyphens inside a word). */
function trimHyphens(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && token[start] === '-') start++;
  while (end > start && token[end - 1] === '-') end--;
  return token.slice(start, end);
}

/** Pronunciations of one token, trying the forms a poet's spelling may stand for. */
export function lookup(word: string): string[][] | undefined {
  const found = pronunciations(word);
  if (found) return found;
  // lips', mistress' (a plural or possessive s); "th'" stays elided
  const bare = word.replace(/^'+/, '').replace(/(?<=s)'+$/, '');
  if (bare !== word) {
    const b = pronunciations(bare);
    if (b) return b;
  }
  // possess'd, belov'd → possessed, beloved (the dictionary's -ed is silent where the poet's is)
  if (/[a-z]'d$/.test(bare)) return pronunciations(`${bare.slice(0, -2)}ed`);
  return undefined;
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** A whole number as words ("1999" → nineteen ninety nine, a year; 250 → two hundred fifty). */
export function numberWords(n: number): string[] {
  if (!Number.isSafeInteger(n) || n < 0) return [];
  if (n < 20) return [ONES[n]!];
  if (n < 100) return [TENS[Math.floor(n / 10)]!, ...(n % 10 ? [ONES[n % 10]!] : [])];
  if (n >= 1100 && n < 10000 && n % 100 !== 0 && Math.floor(n / 100) % 10 !== 0) {
    return [...numberWords(Math.floor(n / 100)), ...numberWords(n % 100)];
  }
  if (n < 1000) return [ONES[Math.floor(n / 100)]!, 'hundred', ...(n % 100 ? numberWords(n % 100) : [])];
  if (n < 1_000_000) return [...numberWords(Math.floor(n / 1000)), 'thousand', ...(n % 1000 ? numberWords(n % 1000) : [])];
  return [...numberWords(Math.floor(n / 1_000_000)), 'million', ...(n % 1_000_000 ? numberWords(n % 1_000_000) : [])];
}
