import { UserFacingError } from '../../engine/parts.js';

/**
 * Scripts written without spaces between words (Chinese, Japanese) or with particles glued to
 * nouns (Korean), plus Thai/Lao/Khmer/Myanmar: a key in them matches as a substring.
 */
const NO_WORD_BREAKS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** "Ember|the red dragon" → key "Ember", aliases ["the red dragon"]. */
export function parseKeySpec(spec: string): { key: string; aliases: string[] } {
  const names = uniqueNames(spec.split('|'));
  const [key, ...aliases] = names;
  if (!key) throw UserFacingError.of('bad_input', 'lore.edit.emptyKey');
  return { key, aliases };
}

/** Trimmed, whitespace collapsed, empty and case-insensitive duplicates dropped, order kept. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.replace(/\s+/g, ' ').trim();
    if (!name || seen.has(sameKey(name))) continue;
    seen.add(sameKey(name));
    out.push(name);
  }
  return out;
}

/** Whether a name (through sameKey) matches as a substring rather than as whole words. */
export function isNoWordBreakName(name: string): boolean {
  return NO_WORD_BREAKS.test(name);
}

/** How keys are compared for identity (add replaces, remove finds). */
export function sameKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLocaleLowerCase('en-US');
}

/** Lower-cases a text (and collapses its whitespace) once for every matcher to search. */
export function forMatching(text: string): string {
  return text.toLocaleLowerCase('en-US').replace(/\s+/g, ' ');
}

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/**
 * Finds a name in a text given through forMatching: case-insensitive, as a whole word (a run of
 * spaces in the name matches any whitespace), or as a substring for CJK names. Returns the
 * position of the first match from `from`, or -1. (A plain indexOf and two character checks:
 * far cheaper than a Unicode regex with look-behind, which cannot skip ahead.)
 */
export function nameMatcher(name: string): (lowered: string, from?: number) => number {
  const wanted = sameKey(name);
  if (isNoWordBreakName(wanted)) return (lowered, from = 0) => lowered.indexOf(wanted, from);
  const edgeBefore = WORD.test(wanted[0]!);
  const edgeAfter = WORD.test(wanted[wanted.length - 1]!);
  return (lowered, from = 0) => {
    for (let at = lowered.indexOf(wanted, from); at >= 0; at = lowered.indexOf(wanted, at + 1)) {
      const before = at > 0 ? lowered[at - 1]! : ' ';
      const after = at + wanted.length < lowered.length ? lowered[at + wanted.length]! : ' ';
      if ((!edgeBefore || !WORD.test(before)) && (!edgeAfter || !WORD.test(after))) return at;
    }
    return -1;
  };
}
