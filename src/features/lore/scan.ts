import { isNoWordBreakName, nameMatcher, sameKey } from './keys.js';

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}_]+/gu;
const KEY_WORDS = 3;
const SEP = '\u0001';

interface Name {
  entry: number;
  text: string;
  /** The name ends in a word character, so the next character must not be one. */
  edgeAfter: boolean;
}

/**
 * Every name of every entry, indexed so that one pass over a text finds them all: names in
 * spaced scripts by their first word (a match starts where a word of the text starts), CJK
 * names by their first character (they match anywhere). Names that start with a symbol fall
 * back to a search of their own.
 */
export class NameIndex {
  /** Keyed by the name's first words (up to KEY_WORDS of them), so common first words ("the") stay cheap. */
  private readonly byWord = new Map<string, Name[]>();
  private readonly wordCounts = new Set<number>();
  private readonly byChar = new Map<string, Name[]>();
  private readonly others: Array<{ entry: number; find: (lowered: string) => number }> = [];

  constructor(
    readonly size: number,
    namesOf: (entry: number) => readonly string[],
  ) {
    for (let entry = 0; entry < size; entry++) {
      for (const raw of namesOf(entry)) {
        const text = sameKey(raw);
        if (!text) continue;
        const name = { entry, text, edgeAfter: WORD_CHAR.test(text.at(-1)!) };
        if (isNoWordBreakName(text)) {
          push(this.byChar, text[0]!, name);
        } else if (WORD_CHAR.test(text[0]!)) {
          const words = text.match(WORD_RUN)!.slice(0, KEY_WORDS);
          this.wordCounts.add(words.length);
          push(this.byWord, words.join(SEP), name);
        } else {
          this.others.push({ entry, find: nameMatcher(text) });
        }
      }
    }
  }

  /** For each entry, the position of its first mention in `lowered` (through forMatching), or -1. */
  firstMentions(lowered: string): Int32Array {
    const first = new Int32Array(this.size).fill(-1);
    const hit = (entry: number, at: number) => {
      if (first[entry]! < 0 || at < first[entry]!) first[entry] = at;
    };
    if (this.byWord.size > 0) {
      const words = [...lowered.matchAll(WORD_RUN)];
      for (let i = 0; i < words.length; i++) {
        const at = words[i]!.index;
        for (const count of this.wordCounts) {
          if (i + count > words.length) continue;
          let key = words[i]![0];
          for (let k = 1; k < count; k++) key += SEP + words[i + k]![0];
          for (const name of this.byWord.get(key) ?? []) {
            if (first[name.entry]! >= 0 || !lowered.startsWith(name.text, at)) continue;
            const after = lowered[at + name.text.length];
            if (!name.edgeAfter || after === undefined || !WORD_CHAR.test(after)) hit(name.entry, at);
          }
        }
      }
    }
    if (this.byChar.size > 0) {
      for (let at = 0; at < lowered.length; at++) {
        const names = this.byChar.get(lowered[at]!);
        if (!names) continue;
        for (const name of names) if ((first[name.entry]! < 0 || first[name.entry]! > at) && lowered.startsWith(name.text, at)) hit(name.entry, at);
      }
    }
    for (const { entry, find } of this.others) {
      const at = find(lowered);
      if (at >= 0) hit(entry, at);
    }
    return first;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
