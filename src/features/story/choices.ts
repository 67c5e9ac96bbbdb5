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

const NUMBER = String.raw`(\d{1,2}|[０-９]|[一二三四五六七八九十])`;
// "1. x", "1) x", "(1) x", "（1）x", "**1.** x", "1 - x", "- 1. x", "1、x", "１．x", "1: x"
const ITEM = new RegExp(
  String.raw`^\s*(?:[-*•+]\s+)?(?:\*\*|__)?\s*(?:[(（]\s*${NUMBER}\s*[)）]|${NUMBER}\s*(?:[.．、:：)）]|\s+[-–—]))\s*(?:\*\*|__)?\s*(.*\S)?\s*$`,
  'u',
);
// Label lines that only introduce the list.
const INTRO =
  /^\s*(?:\*\*|__|#+\s*)?\s*(?:choices|options|your options|what (?:do|will|should|would) (?:you|we|they)(?: all)? do(?: next| now)?|你们?(?:会|要|想)?怎么做|你(?:们)?的选择|选择|选项)\s*[:：?？]?\s*(?:\*\*|__)?\s*$/iu;

const ZH: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function toNumber(raw: string): number {
  if (raw in ZH) return ZH[raw]!;
  const ascii = raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48));
  return Number.parseInt(ascii, 10);
}

/** Removes emphasis markers and quotes around an option. */
function clean(text: string): string {
  return text
    .replace(/^(?:\*\*|__|\*|_)+|(?:\*\*|__|\*|_)+$/g, '')
    .replace(/^["“]|["”]$/g, '')
    .trim();
}

export function parseChoices(reply: string): ParsedBeat {
  const none: ParsedBeat = { narration: reply, choices: [] };
  const lines = reply.split(/\r?\n/);
  let end = lines.length;
  while (end > 0 && !lines[end - 1]!.trim()) end--;
  // Walk up from the end over list items (blank lines between items allowed).
  const items: Array<{ n: number; text: string }> = [];
  let i = end - 1;
  for (; i >= 0; i--) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const m = ITEM.exec(line);
    if (!m) break;
    const text = clean(m[3] ?? '');
    if (!text) return none;
    items.unshift({ n: toNumber(m[1] ?? m[2]!), text });
  }
  if (items.length < MIN_CHOICES || items.length > MAX_CHOICES) return none;
  if (items.some((item, k) => item.n !== k + 1)) return none;
  // i is the last line above the list that is not an item (or -1).
  let cut = i + 1;
  while (cut > 0 && !lines[cut - 1]!.trim()) cut--;
  if (cut > 0 && INTRO.test(lines[cut - 1]!)) {
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
