/**
 * The choices at the end of a story beat: the model is asked to end a beat with 2 to 4 options
 * as a numbered list. This finds that list (only at the very end of the reply), strips it (and a
 * label line such as "What do you do?" right above it) and returns the narration untouched.
 * Anything else (no list, one option, more than four, numbers out of order, text after the list)
 * is a good beat without choices.
 */

export interface ParsedBeat {
  /** The narration without the list (the whole reply when there are no choices). */
  narration: string;
  /** 2 to 4 option texts, or none. */
  choices: string[];
}

export const MIN_CHOICES = 2;
export const MAX_CHOICES = 4;

/**
 * Lines longer than this are narration, never a choice or a label. Every pattern below runs in
 * time linear in the line (no nested or adjacent overlapping quantifiers; whitespace is trimmed
 * with String#trim rather than matched by `\s*` on both sides of an optional part), and the
 * bound keeps even that small for a model that writes one huge line.
 */
export const MAX_LINE = 500;

const NUMBER = String.raw`(\d{1,2}|[０-９]|[一二三四五六七八九十])`;
// The number of an item, after any bullet and bold marker: "(1)", "（1）", "1.", "1)", "1、",
// "１．", "1:", "1 - ". (Each `\s` run sits between two parts that cannot be whitespace.)
const NUMBERED = new RegExp(String.raw`^(?:[(（]\s*${NUMBER}\s*[)）]|${NUMBER}(?:\s*[.．、:：)）]|\s+[-–—]))`, 'u');
const BULLET = /^[-*•+]\s/;
const LINE_BREAK = /[\r\u2028\u2029]/;
// Label lines that only introduce the list (matched once markers and punctuation are trimmed).
const INTRO =
  /^(?:choices|options|your options|what (?:do|will|should|would) (?:you|we|they)(?: all)? do(?: next| now)?|你们?(?:会|要|想)?怎么做|你(?:们)?的选择|选择|选项)$/iu;

const ZH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function toNumber(raw: string): number {
  if (raw in ZH) return ZH[raw]!;
  const ascii = raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48));
  return Number.parseInt(ascii, 10);
}

const isEmphasis = (c: string | undefined) => c === '*' || c === '_';

/** Removes emphasis markers and quotes around an option. */
function clean(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isEmphasis(text[start])) start++;
  while (end > start && isEmphasis(text[end - 1])) end--;
  return text
    .slice(start, end)
    .replace(/^["“]|["”]$/g, '')
    .trim();
}

/** `text` without a leading `**` or `__` (and the spaces after it). */
function dropBold(text: string): string {
  return text.startsWith('**') || text.startsWith('__') ? text.slice(2).trimStart() : text;
}

/**
 * "1. x", "1) x", "(1) x", "（1）x", "**1.** x", "1 - x", "- 1. x", "1、x", "１．x", "1: x":
 * the item's number and its raw text ('' when the item is empty), or undefined for any other line.
 */
function itemOf(line: string): { n: number; text: string } | undefined {
  if (line.length > MAX_LINE) return undefined;
  let rest = line.trim();
  if (BULLET.test(rest)) rest = rest.slice(1).trimStart();
  rest = dropBold(rest);
  const m = NUMBERED.exec(rest);
  if (!m) return undefined;
  const text = dropBold(rest.slice(m[0].length).trimStart());
  if (LINE_BREAK.test(text)) return undefined;
  return { n: toNumber(m[1] ?? m[2]!), text };
}

function isIntro(line: string): boolean {
  if (line.length > MAX_LINE) return false;
  let label = line.trim();
  label = (label.startsWith('**') || label.startsWith('__') ? label.slice(2) : label.replace(/^#+/, '')).trimStart();
  if (label.endsWith('**') || label.endsWith('__')) label = label.slice(0, -2).trimEnd();
  if (/[:：?？]$/.test(label)) label = label.slice(0, -1).trimEnd();
  return INTRO.test(label);
}

export function parseChoices(reply: string): ParsedBeat {
  const none: ParsedBeat = { narration: reply, choices: [] };
  const lines = reply.split(/\r?\n/);
  let end = lines.length;
  while (end > 0 && !lines[end - 1]!.trim()) end--;
  // Walk up from the end over list items (blank lines between items allowed); a fifth item
  // means this is no list of choices, so the walk never goes further than that.
  const items: Array<{ n: number; text: string }> = [];
  let i = end - 1;
  for (; i >= 0; i--) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const item = itemOf(line);
    if (!item) break;
    const text = clean(item.text);
    if (!text || items.length === MAX_CHOICES) return none;
    items.push({ n: item.n, text });
  }
  items.reverse();
  if (items.length < MIN_CHOICES) return none;
  if (items.some((item, k) => item.n !== k + 1)) return none;
  // i is the last line above the list that is not an item (or -1).
  let cut = i + 1;
  while (cut > 0 && !lines[cut - 1]!.trim()) cut--;
  if (cut > 0 && isIntro(lines[cut - 1]!)) {
    cut--;
    while (cut > 0 && !lines[cut - 1]!.trim()) cut--;
  }
  const narration = lines.slice(0, cut).join('\n').trimEnd();
  if (!narration.trim()) return none;
  return { narration, choices: items.map((item) => item.text) };
}

/** The list as it is shown under a beat (terminal, a flipped version). */
export function formatChoices(choices: readonly string[]): string {
  return choices.map((c, k) => `${k + 1}. ${c}`).join('\n');
}

/** A beat as shown: the narration, then its choices. */
export function beatDisplay(narration: string, choices: readonly string[]): string {
  return choices.length ? `${narration}\n\n${formatChoices(choices)}` : narration;
}
