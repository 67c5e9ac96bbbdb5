import { chineseVerses, hanCount, isChinese } from './han.js';
import { plainLine, poemLines } from './lines.js';
import { endWord, rhymes } from './rhyme.js';
import { lineSyllables, nearest } from './syllables.js';

/** The forms `/poem` keeps, as users type them. */
export const POEM_FORM_VALUES = ['free', 'haiku', 'tanka', 'limerick', 'sonnet', 'jueju5', 'jueju7'] as const;
export type PoemForm = (typeof POEM_FORM_VALUES)[number];

export interface PoemCheck {
  ok: boolean;
  /** One line for the user, e.g. "haiku 5-7-5 ✓" or "haiku: line 2 has 8 syllables (wants 7) ✗". */
  rubric: string;
  /** What misses, one short phrase each. */
  problems: string[];
  /** Orders attempts: 1 when the form is kept, lower the further it misses. */
  score: number;
  /** Line by line, for the repair request. */
  notes: string[];
}

/** Checks a poem against its form (see the rules of each form below). */
export function checkPoem(text: string, form: PoemForm): PoemCheck {
  switch (form) {
    case 'free':
      return poemLines(text).length > 0 ? result('free verse ✓', [], 0, []) : empty('free verse');
    case 'haiku':
      return counted(text, 'haiku', [5, 7, 5]);
    case 'tanka':
      return counted(text, 'tanka', [5, 7, 5, 7, 7]);
    case 'limerick':
      return limerick(text);
    case 'sonnet':
      return sonnet(text);
    case 'jueju5':
      return jueju(text, '五言绝句', 5);
    case 'jueju7':
      return jueju(text, '七言绝句', 7);
  }
}

interface Range {
  min: number;
  max: number;
  /** How the wanted count is said: "7", "7–11". */
  label: string;
}

const exact = (n: number): Range => ({ min: n, max: n, label: String(n) });
const LONG: Range = { min: 7, max: 11, label: '7–11' };
const SHORT: Range = { min: 4, max: 7, label: '4–7' };
const PENTAMETER: Range = { min: 8, max: 12, label: '8–12, about 10' };

/** Syllables of each line against its range: notes, problems and a penalty. */
function measure(lines: readonly string[], ranges: readonly Range[], unit = 'syllables'): { problems: string[]; notes: string[]; penalty: number } {
  const problems: string[] = [];
  const notes: string[] = [];
  let penalty = 0;
  if (lines.length !== ranges.length) {
    problems.push(`${lines.length} line${lines.length === 1 ? '' : 's'} (wants ${ranges.length})`);
    penalty += 3 * Math.abs(lines.length - ranges.length);
    notes.push(`the poem has ${lines.length} line${lines.length === 1 ? '' : 's'}; the form wants ${ranges.length} ✗`);
  }
  lines.forEach((line, i) => {
    const range = ranges[i];
    if (!range) {
      notes.push(`line ${i + 1} "${line}": one line too many ✗`);
      return;
    }
    const counts = unit === 'syllables' ? lineSyllables(line) : [hanCount(line)];
    const fits = counts.some((c) => c >= range.min && c <= range.max);
    const n = nearest(counts, (range.min + range.max) / 2);
    if (fits) {
      notes.push(`line ${i + 1} "${line}": ${counts.find((c) => c >= range.min && c <= range.max)} ${unit} ✓`);
      return;
    }
    const miss = n < range.min ? range.min - n : n - range.max;
    penalty += miss;
    problems.push(`line ${i + 1} has ${n} ${n === 1 ? unit.slice(0, -1) : unit} (wants ${range.label})`);
    notes.push(`line ${i + 1} "${line}": ${n} ${n === 1 ? unit.slice(0, -1) : unit}, wants ${range.label} ✗`);
  });
  for (let i = lines.length; i < ranges.length; i++) notes.push(`line ${i + 1}: missing ✗`);
  return { problems, notes, penalty };
}

/** Haiku and tanka: exact syllable counts, line by line. */
function counted(text: string, name: string, targets: number[]): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty(name);
  const m = measure(lines, targets.map(exact));
  return result(m.problems.length ? fail(name, m.problems) : `${name} ${targets.join('-')} ✓`, m.problems, m.penalty, m.notes);
}

/** Checks that each pair of lines rhymes; `pairs` are 1-based line numbers. */
function rhymePairs(lines: readonly string[], pairs: ReadonlyArray<readonly [number, number]>): { problems: string[]; notes: string[]; penalty: number } {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const [a, b] of pairs) {
    const la = lines[a - 1];
    const lb = lines[b - 1];
    if (la === undefined || lb === undefined) continue;
    const wa = endWord(la);
    const wb = endWord(lb);
    if (rhymes(wa, wb)) notes.push(`lines ${a}/${b} rhyme (${wa} / ${wb}) ✓`);
    else {
      problems.push(`lines ${a}/${b} don't rhyme (${wa || '—'} / ${wb || '—'})`);
      notes.push(`lines ${a}/${b} should rhyme but end in "${wa}" and "${wb}" ✗`);
    }
  }
  return { problems, notes, penalty: 2 * problems.length };
}

/**
 * Limerick: five lines rhyming AABBA (line 5 must rhyme with line 1 or 2; the same word again
 * counts), lines 1, 2 and 5 long (7–11 syllables), lines 3 and 4 short (4–7).
 */
function limerick(text: string): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty('limerick');
  const m = measure(lines, [LONG, LONG, SHORT, SHORT, LONG]);
  const r = rhymePairs(lines, [
    [1, 2],
    [3, 4],
  ]);
  if (lines.length >= 5) {
    const five = endWord(lines[4]!);
    const ok = rhymes(endWord(lines[0]!), five) || rhymes(endWord(lines[1]!), five);
    if (ok) r.notes.push(`line 5 rhymes with lines 1-2 (${five}) ✓`);
    else {
      r.problems.push(`line 5 doesn't rhyme with lines 1-2 (${five || '—'})`);
      r.notes.push(`line 5 ends in "${five}", which should rhyme with lines 1 and 2 ✗`);
      r.penalty += 2;
    }
  }
  const problems = [...m.problems, ...r.problems];
  return result(problems.length ? fail('limerick', problems) : 'limerick AABBA, long-long-short-short-long ✓', problems, m.penalty + r.penalty, [
    ...m.notes,
    ...r.notes,
  ]);
}

const SONNET_PAIRS = [
  [1, 3],
  [2, 4],
  [5, 7],
  [6, 8],
  [9, 11],
  [10, 12],
  [13, 14],
] as const;

/** Shakespearean sonnet: 14 lines, ABAB CDCD EFEF GG, 8–12 syllables a line. */
function sonnet(text: string): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty('sonnet');
  const m = measure(
    lines,
    Array.from({ length: 14 }, () => PENTAMETER),
  );
  const r = rhymePairs(lines, SONNET_PAIRS);
  const countOk = lines.length === 14;
  const long = m.problems.filter((p) => p.startsWith('line '));
  const segments = [
    countOk ? '14 lines ✓' : `${lines.length} lines ✗ (wants 14)`,
    r.problems.length === 0 ? 'rhyme ABAB CDCD EFEF GG ✓' : `rhyme ABAB CDCD EFEF GG ✗ (${shortList(r.problems.map((p) => p.replace(/ \(.*\)$/, '')))})`,
    long.length === 0 ? 'about ten syllables a line ✓' : `about ten syllables a line ✗ (${shortList(long.map((p) => p.replace(/ \(wants.*\)$/, '')))})`,
  ];
  const problems = [...m.problems, ...r.problems];
  return result(`sonnet: ${segments.join(', ')}`, problems, m.penalty + r.penalty, [...m.notes, ...r.notes]);
}

/** 绝句: four lines of five or seven Han characters (a couplet on one line counts as two). */
function jueju(text: string, name: string, size: number): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty(name);
  if (!isChinese(lines.join(''))) {
    return result(fail(name, ['not written in Chinese']), ['not written in Chinese'], 20, ['the poem must be written in Chinese characters ✗']);
  }
  const m = measure(
    chineseVerses(lines),
    [1, 2, 3, 4].map(() => exact(size)),
    'characters',
  );
  return result(m.problems.length ? fail(name, m.problems) : `${name} 4×${size} ✓`, m.problems, m.penalty, m.notes);
}

function fail(name: string, problems: readonly string[]): string {
  return `${name}: ${shortList(problems)} ✗`;
}

function shortList(items: readonly string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join('; ')}; and ${items.length - 3} more` : items.join('; ');
}

function result(rubric: string, problems: string[], penalty: number, notes: string[]): PoemCheck {
  return { ok: problems.length === 0, rubric, problems, score: 1 / (1 + penalty), notes };
}

function empty(name: string): PoemCheck {
  return { ok: false, rubric: `${name}: no poem lines ✗`, problems: ['no poem lines'], score: 0, notes: ['the reply held no lines of verse ✗'] };
}
