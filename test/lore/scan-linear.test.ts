import { describe, expect, it } from 'vitest';
import { forMatching } from '../../src/features/lore/keys.js';
import { NameIndex } from '../../src/features/lore/scan.js';
import { growth } from '../fuzz/growth.js';

/**
 * A book whose names all share a beginning, and a text made of that beginning: the old index
 * kept such names in one bucket and tried each of them at every position of the text, so the
 * cost was the text's length times the number of names (40 s for 33,000 CJK names and 36,000
 * characters, a book the import caps allow). Both grow 4× here: linear work grows 4×, the old
 * product 16×.
 */
const families: Array<[string, (i: number) => string, (n: number) => string]> = [
  ['CJK names sharing their first character', (i) => `灯${i}号`, (n) => '灯'.repeat(10 * n)],
  ['names sharing their first words', (i) => `the red dragon ${i}`, (n) => 'the red dragon '.repeat(n)],
  ['names starting with a symbol', (i) => `#${i}x`, (n) => '#'.repeat(10 * n)],
];

describe('lore: finding names in a text costs time linear in the text and the names', () => {
  it.each(families)('%s', (_name, nameOf, textOf) => {
    const indexes = new Map([500, 2000].map((n) => [n, { index: new NameIndex(n, (i) => [nameOf(i)]), text: forMatching(textOf(n)) }]));
    const scan = (n: string) => {
      const { index, text } = indexes.get(Number(n))!;
      index.firstMentions(text);
    };
    expect(growth(scan, String, 500)).toBeLessThan(8);
    // And it still finds them: name 7 in a text that mentions it after the hostile part.
    const { index, text } = indexes.get(500)!;
    const mentioned = `${text} ${forMatching(nameOf(7))} `;
    expect(index.firstMentions(mentioned)[7]).toBe(text.length + 1);
  });
});
