import { createRequire } from 'node:module';

/**
 * The CMU pronouncing dictionary (134,000 words → ARPAbet), loaded on first use: it is a
 * 4.7 MB module, so Muse only pays for it when a poem is checked. `loadDictionary()` loads it
 * without blocking a caller that can wait; the synchronous lookups load it on demand otherwise.
 */
type Dictionary = Readonly<Record<string, string>>;

let dictionary: Dictionary | undefined;

export async function loadDictionary(): Promise<void> {
  dictionary ??= (await import('cmu-pronouncing-dictionary')).dictionary;
}

function dict(): Dictionary {
  dictionary ??= (createRequire(import.meta.url)('cmu-pronouncing-dictionary') as { dictionary: Dictionary }).dictionary;
  return dictionary;
}

/**
 * Every pronunciation of a lower-case word, each a list of ARPAbet phones ("F", "AY1", "ER0"),
 * alternates (`fire(2)`) included; undefined when the word is not in the dictionary.
 */
export function pronunciations(word: string): string[][] | undefined {
  const d = dict();
  const first = Object.hasOwn(d, word) ? d[word] : undefined;
  if (first === undefined) return undefined;
  const out = [first.split(' ')];
  for (let i = 1; i < 10; i++) {
    const alt = d[`${word}(${i})`];
    if (alt !== undefined) out.push(alt.split(' '));
    else if (i > 1) break;
  }
  return out;
}

/** A phone is a vowel when it carries a stress digit. */
export function isVowel(phone: string): boolean {
  return /\d$/.test(phone);
}
