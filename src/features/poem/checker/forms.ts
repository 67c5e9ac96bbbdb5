import type { Localized } from '../../../i18n/index.js';
import { chineseVerses, hanCount, isChinese } from './han.js';
import { plainLine, poemLines } from './lines.js';
import { endWord, rhymes } from './rhyme.js';
import { lineSyllables, nearest } from './syllables.js';

/** The forms `/poem` keeps, as users type them. */
export const POEM_FORM_VALUES = ['free', 'haiku', 'tanka', 'limerick', 'sonnet', 'jueju5', 'jueju7'] as const;
export type PoemForm = (typeof POEM_FORM_VALUES)[number];

export interface PoemCheck {
  ok: boolean;
  /**
   * One line for the person, as data (poem.verdict.… in sentences.ts), shown in their language:
   * "haiku 5-7-5 ✓" or "haiku: line 2 has 8 syllables (wants 7) ✗" in English.
   */
  rubric: Localized;
  /** What misses, one short phrase each, as data: { key: 'poem.problem.syllables', vars: { line, got, want } }. */
  problems: Localized[];
  /** Orders attempts: 1 when the form is kept, lower the further it misses. */
  score: number;
  /** Line by line, for the repair request. */
  notes: string[];
}

/** Checks a poem against its form (see the rules of each form below). */
export function checkPoem(text: string, form: PoemForm): PoemCheck {
  switch (form) {
    case 'free':
      return poemLines(text).length > 0 ? result({ key: 'poem.verdict.kept', vars: { form: FORM_NAMES.free } }, [], 0, []) : empty(FORM_NAMES.free);
    case 'haiku':
      return counted(text, FORM_NAMES.haiku, [5, 7, 5]);
    case 'tanka':
      return counted(text, FORM_NAMES.tanka, [5, 7, 5, 7, 7]);
    case 'limerick':
      return limerick(text);
    case 'sonnet':
      return sonnet(text);
    case 'jueju5':
      return jueju(text, FORM_NAMES.jueju5, 5);
    case 'jueju7':
      return jueju(text, FORM_NAMES.jueju7, 7);
  }
}

/** Each form's name in a verdict (literal keys, so test/i18n can see them). */
export const FORM_NAMES: Readonly<Record<PoemForm, Localized>> = {
  free: { key: 'poem.form.free' },
  haiku: { key: 'poem.form.haiku' },
  tanka: { key: 'poem.form.tanka' },
  limerick: { key: 'poem.form.limerick' },
  sonnet: { key: 'poem.form.sonnet' },
  jueju5: { key: 'poem.form.jueju5' },
  jueju7: { key: 'poem.form.jueju7' },
};

/** One way a poem misses: its phrase, and (for the sonnet's verdict) the phrase without the detail in brackets. */
interface Miss {
  text: Localized;
  brief?: Localized;
}

interface Range {
  min: number;
  max: number;
  /** How the wanted count is said: "7", "7–11", or a sentence ("8–12, about 10"). */
  label: string | Localized;
  /** The same in the repair request (English). */
  english: string;
}

const exact = (n: number): Range => ({ min: n, max: n, label: String(n), english: String(n) });
const LONG: Range = { min: 7, max: 11, label: '7–11', english: '7–11' };
const SHORT: Range = { min: 4, max: 7, label: '4–7', english: '4–7' };
const PENTAMETER: Range = { min: 8, max: 12, label: { key: 'poem.range.pentameter' }, english: '8–12, about 10' };

/** Syllables of each line against its range: notes, problems and a penalty. */
function measure(lines: readonly string[], ranges: readonly Range[], unit = 'syllables'): { problems: Miss[]; notes: string[]; penalty: number } {
  const problems: Miss[] = [];
  const notes: string[] = [];
  let penalty = 0;
  if (lines.length !== ranges.length) {
    const vars = { count: lines.length, want: ranges.length };
    problems.push({ text: lines.length === 1 ? { key: 'poem.problem.oneLine', vars } : { key: 'poem.problem.lines', vars } });
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
    problems.push(lineMiss(i + 1, n, range.label, unit));
    notes.push(`line ${i + 1} "${line}": ${n} ${n === 1 ? unit.slice(0, -1) : unit}, wants ${range.english} ✗`);
  });
  for (let i = lines.length; i < ranges.length; i++) notes.push(`line ${i + 1}: missing ✗`);
  return { problems, notes, penalty };
}

/** A line with too many or too few syllables (or characters), said with or without what it wants. */
function lineMiss(line: number, got: number, want: string | Localized, unit: string): Miss {
  const vars = { line, got, want };
  if (unit === 'characters') return { text: got === 1 ? { key: 'poem.problem.character', vars } : { key: 'poem.problem.characters', vars } };
  return got === 1
    ? { text: { key: 'poem.problem.syllable', vars }, brief: { key: 'poem.brief.syllable', vars } }
    : { text: { key: 'poem.problem.syllables', vars }, brief: { key: 'poem.brief.syllables', vars } };
}

/** Haiku and tanka: exact syllable counts, line by line. */
function counted(text: string, name: Localized, targets: number[]): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty(name);
  const m = measure(lines, targets.map(exact));
  const kept: Localized = { key: 'poem.verdict.counted', vars: { form: name, pattern: targets.join('-') } };
  return result(m.problems.length ? fail(name, m.problems) : kept, m.problems, m.penalty, m.notes);
}

/** Checks that each pair of lines rhymes; `pairs` are 1-based line numbers. */
function rhymePairs(lines: readonly string[], pairs: ReadonlyArray<readonly [number, number]>): { problems: Miss[]; notes: string[]; penalty: number } {
  const problems: Miss[] = [];
  const notes: string[] = [];
  for (const [a, b] of pairs) {
    const la = lines[a - 1];
    const lb = lines[b - 1];
    if (la === undefined || lb === undefined) continue;
    const wa = endWord(la);
    const wb = endWord(lb);
    if (rhymes(wa, wb)) notes.push(`lines ${a}/${b} rhyme (${wa} / ${wb}) ✓`);
    else {
      problems.push({
        text: { key: 'poem.problem.noRhyme', vars: { a, b, first: wa || '—', second: wb || '—' } },
        brief: { key: 'poem.brief.noRhyme', vars: { a, b } },
      });
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
  if (lines.length === 0) return empty(FORM_NAMES.limerick);
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
      r.problems.push({ text: { key: 'poem.problem.fifthNoRhyme', vars: { word: five || '—' } } });
      r.notes.push(`line 5 ends in "${five}", which should rhyme with lines 1 and 2 ✗`);
      r.penalty += 2;
    }
  }
  const problems = [...m.problems, ...r.problems];
  return result(problems.length ? fail(FORM_NAMES.limerick, problems) : { key: 'poem.verdict.limerick' }, problems, m.penalty + r.penalty, [
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
  if (lines.length === 0) return empty(FORM_NAMES.sonnet);
  const m = measure(
    lines,
    Array.from({ length: 14 }, () => PENTAMETER),
  );
  const r = rhymePairs(lines, SONNET_PAIRS);
  const countOk = lines.length === 14;
  // The lines with too many or too few syllables (the line count is said on its own).
  const long = m.problems.flatMap((p) => (p.brief ? [p.brief] : []));
  const rhymeBriefs = r.problems.flatMap((p) => (p.brief ? [p.brief] : []));
  const verdict: Localized = {
    key: 'poem.verdict.sonnet',
    vars: {
      lines: countOk ? { key: 'poem.sonnet.linesKept' } : { key: 'poem.sonnet.linesMissed', vars: { count: lines.length } },
      rhyme: r.problems.length === 0 ? { key: 'poem.sonnet.rhymeKept' } : { key: 'poem.sonnet.rhymeMissed', vars: { list: shortList(rhymeBriefs) } },
      meter: long.length === 0 ? { key: 'poem.sonnet.meterKept' } : { key: 'poem.sonnet.meterMissed', vars: { list: shortList(long) } },
    },
  };
  const problems = [...m.problems, ...r.problems];
  return result(verdict, problems, m.penalty + r.penalty, [...m.notes, ...r.notes]);
}

/** 绝句: four lines of five or seven Han characters (a couplet on one line counts as two). */
function jueju(text: string, name: Localized, size: number): PoemCheck {
  const lines = poemLines(text).map(plainLine);
  if (lines.length === 0) return empty(name);
  if (!isChinese(lines.join(''))) {
    const notChinese: Miss[] = [{ text: { key: 'poem.problem.notChinese' } }];
    return result(fail(name, notChinese), notChinese, 20, ['the poem must be written in Chinese characters ✗']);
  }
  const m = measure(
    chineseVerses(lines),
    [1, 2, 3, 4].map(() => exact(size)),
    'characters',
  );
  return result(m.problems.length ? fail(name, m.problems) : { key: 'poem.verdict.jueju', vars: { form: name, size } }, m.problems, m.penalty, m.notes);
}

function fail(name: Localized, problems: readonly Miss[]): Localized {
  return { key: 'poem.verdict.missed', vars: { form: name, problems: shortList(problems.map((p) => p.text)) } };
}

/** Up to three phrases, then how many more (joined in the verdict's language). */
function shortList(items: readonly Localized[]): Localized {
  const [a, b, c] = items;
  if (items.length === 1) return a!;
  if (items.length === 2) return { key: 'poem.list.two', vars: { a: a!, b: b! } };
  if (items.length === 3) return { key: 'poem.list.three', vars: { a: a!, b: b!, c: c! } };
  return { key: 'poem.list.more', vars: { a: a!, b: b!, c: c!, more: items.length - 3 } };
}

function result(rubric: Localized, problems: readonly Miss[], penalty: number, notes: string[]): PoemCheck {
  return { ok: problems.length === 0, rubric, problems: problems.map((p) => p.text), score: 1 / (1 + penalty), notes };
}

function empty(name: Localized): PoemCheck {
  const none: Miss[] = [{ text: { key: 'poem.problem.noLines' } }];
  return { ok: false, rubric: fail(name, none), problems: none.map((p) => p.text), score: 0, notes: ['the reply held no lines of verse ✗'] };
}
