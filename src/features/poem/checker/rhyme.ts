import { isVowel } from './dictionary.js';
import { lineWords, lookup } from './words.js';

/**
 * Rhymes from the CMU dictionary. A word's rhyming part runs from its last stressed vowel to
 * the end ("despising" → AY Z IH NG). Two words rhyme when their parts are the same, or nearly:
 * - the same vowel with similar endings (voiced/unvoiced pairs, m/n/ng, an added s, z, t or d);
 * - the same final consonants (at least one) after a neighbouring vowel (love/remove,
 *   come/doom), or after any vowel when the ending is a cluster (possessed/least);
 * - a weak rhyme on an unstressed last syllable (temperate/date), same final consonants.
 * Identical end words count as a rhyme (limericks often repeat the first line's word).
 * Words the dictionary lacks are compared by spelling, from their last vowel group.
 */

export type RhymeKind = 'identical' | 'perfect' | 'near' | 'none';

interface Part {
  vowel: string;
  /** Consonants after the vowel up to the next vowel or the end. */
  coda: string[];
  /** Whatever follows (later syllables of a feminine rhyme). */
  rest: string[];
  /** From an unstressed last vowel (a weak rhyme). */
  weak: boolean;
}

/** The last word of a line (what rhymes), or '' when the line has none. */
export function endWord(line: string): string {
  const words = lineWords(line).filter((w) => /\p{L}/u.test(w));
  return words.at(-1) ?? '';
}

export function rhymeKind(a: string, b: string): RhymeKind {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (!x || !y) return 'none';
  if (x === y) return 'identical';
  const px = rhymeParts(x);
  const py = rhymeParts(y);
  if (!px || !py) return spellingRhyme(x, y);
  let best: RhymeKind = 'none';
  for (const p of px) {
    for (const q of py) {
      const k = compare(p, q);
      if (k === 'perfect') return k;
      if (k === 'near') best = k;
    }
  }
  return best;
}

export function rhymes(a: string, b: string): boolean {
  return rhymeKind(a, b) !== 'none';
}

function rhymeParts(word: string): Part[] | undefined {
  let prons = lookup(word);
  if (!prons && word.includes('-')) prons = lookup(word.split('-').filter(Boolean).at(-1) ?? '');
  if (!prons) return undefined;
  const parts: Part[] = [];
  for (const phones of prons) {
    const vowels = phones.map((p, i) => (isVowel(p) ? i : -1)).filter((i) => i >= 0);
    if (vowels.length === 0) continue;
    const stressed = vowels.filter((i) => /[12]$/.test(phones[i]!));
    const start = stressed.at(-1) ?? vowels.at(-1)!;
    parts.push(part(phones, start, false));
    const last = vowels.at(-1)!;
    if (last !== start) parts.push(part(phones, last, true));
  }
  return parts;
}

function part(phones: string[], start: number, weak: boolean): Part {
  const tail = phones.slice(start).map((p) => p.replace(/\d$/, ''));
  const next = tail.findIndex((p, i) => i > 0 && /^(?:AA|AE|AH|AO|AW|AY|EH|ER|EY|IH|IY|OW|OY|UH|UW)$/.test(p));
  const end = next < 0 ? tail.length : next;
  return { vowel: tail[0]!, coda: tail.slice(1, end), rest: tail.slice(end), weak };
}

const NEAR_VOWELS = new Set([
  'IY IH',
  'EY EH',
  'EH AE',
  'AE AA',
  'AH UH',
  'AH UW',
  'UH UW',
  'AH OW',
  'AH AO',
  'AA AO',
  'AH AA',
  'OW AO',
  'OW UW',
  'AH ER',
  'EH ER',
]);
const SIMILAR: Record<string, string> = { B: 'P', D: 'T', G: 'K', V: 'F', Z: 'S', DH: 'TH', ZH: 'SH', JH: 'CH', N: 'M', NG: 'M' };

function compare(p: Part, q: Part): RhymeKind {
  const same = (a: string[], b: string[]) => a.join(' ') === b.join(' ');
  if (!p.weak && !q.weak && p.vowel === q.vowel && same(p.coda, q.coda) && same(p.rest, q.rest)) return 'perfect';
  if (!same(p.rest, q.rest)) return 'none';
  if (p.weak || q.weak) return p.coda.length > 0 && same(p.coda, q.coda) ? 'near' : 'none';
  if (p.vowel === q.vowel && similarCodas(p.coda, q.coda)) return 'near';
  if (p.coda.length > 0 && same(p.coda, q.coda) && (p.coda.length > 1 || nearVowels(p.vowel, q.vowel))) return 'near';
  return 'none';
}

function nearVowels(a: string, b: string): boolean {
  return a === b || NEAR_VOWELS.has(`${a} ${b}`) || NEAR_VOWELS.has(`${b} ${a}`);
}

function similarCodas(a: string[], b: string[]): boolean {
  const norm = (c: string[]) => c.map((x) => SIMILAR[x] ?? x).join(' ');
  if (norm(a) === norm(b)) return true;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.length === short.length + 1 && ['S', 'Z', 'T', 'D'].includes(long.at(-1)!) && norm(long.slice(0, -1)) === norm(short);
}

/** Spelling fallback: the endings from the last vowel group (a silent final e skipped). */
function spellingRhyme(a: string, b: string): RhymeKind {
  const ta = spellingTail(a);
  const tb = spellingTail(b);
  if (!ta || !tb) return 'none';
  if (ta === tb) return 'perfect';
  return ta.replace(/(?:e?s|e?d)$/, '') === tb.replace(/(?:e?s|e?d)$/, '') ? 'near' : 'none';
}

/**
 * From the last vowel group to the end ("ound" of "found"), or from the group before a silent
 * final e, es or ed after consonants ("ade" of "shade", "akes" of "makes"); the whole word when
 * it has no vowel. Scanned by hand: the pattern this replaces, `[aeiouy]+[^aeiouy]*…$`, was
 * tried at every vowel of a run and scanned the rest of the run each time (quadratic).
 */
function spellingTail(word: string): string {
  const w = word.replace(/[^a-z]/g, '');
  const vowel = (i: number) => 'aeiouy'.includes(w[i]!);
  // Start of the last vowel group, and of the one before it.
  let last = -1;
  let before = -1;
  for (let i = 0; i < w.length; i++) {
    if (!vowel(i) || (i > 0 && vowel(i - 1))) continue;
    before = last;
    last = i;
  }
  if (last < 0) return w;
  // A silent ending: e, es or ed right after consonants that follow a vowel.
  const silent = (from: number) => {
    let i = from - 1;
    while (i >= 0 && !vowel(i)) i--;
    return i >= 0 && i < from - 1;
  };
  const ending = w.slice(last);
  const silentEnding = (ending === 'e' || ending === 'es' || ending === 'ed') && silent(last);
  return silentEnding && before >= 0 ? w.slice(before) : w.slice(last);
}
