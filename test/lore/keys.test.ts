import { describe, expect, it } from 'vitest';
import { forMatching, nameMatcher, parseKeySpec } from '../../src/features/lore/keys.js';
import { loreSentences } from '../../src/features/lore/sentences.js';
import { addSentences } from '../../src/i18n/index.js';
import { NameIndex } from '../../src/features/lore/scan.js';
import { compileEntries, selectLore } from '../../src/features/lore/select.js';
import type { LoreEntry } from '../../src/features/lore/types.js';

/** Through the index the provider uses, and through the plain search (they must agree). */
const matches = (name: string, text: string) => {
  const indexed = new NameIndex(1, () => [name]).firstMentions(forMatching(text))[0]! >= 0;
  const plain = nameMatcher(name)(forMatching(text)) >= 0;
  expect(plain, `index and search disagree on ${name} in ${text}`).toBe(indexed);
  return indexed;
};

// Refusals are sentences by key: the lore feature's sentences, as an engine adds them.
addSentences('lore', loreSentences);

describe('lore keys', () => {
  it('parses "key|alias|alias", trimming and dropping empty and repeated names', () => {
    expect(parseKeySpec(' Ember | the  red dragon ||ember|Wyrm ')).toEqual({ key: 'Ember', aliases: ['the red dragon', 'Wyrm'] });
    expect(() => parseKeySpec(' | ')).toThrow(/key is empty/);
  });

  it('matches whole words, case-insensitively, with punctuation and accents around them', () => {
    expect(matches('Ember', 'EMBER!')).toBe(true);
    expect(matches('Ember', "ember's hoard")).toBe(true);
    expect(matches('Ember', 'the embers glow')).toBe(false);
    expect(matches('Ember', 'December')).toBe(false);
    expect(matches('Éowyn', 'we meet éowyn.')).toBe(true);
    expect(matches('Zoë', 'Zoë’s boat')).toBe(true);
    expect(matches('Zoë', 'Zoëy')).toBe(false);
    expect(matches('C++', 'we write C++ here')).toBe(true);
    expect(matches('Dr. No', 'dr.  no waits')).toBe(true);
    expect(matches('Dr. No', 'drX no')).toBe(false);
    expect(matches('#pass', 'the #Pass is closed')).toBe(true);
    expect(matches('the grey king', 'the grey kingdom')).toBe(false);
    expect(matches('the grey king', 'THE GREY KING')).toBe(true);
  });

  it('matches CJK names as substrings, also inside Latin text', () => {
    expect(matches('灯塔', '我们走向灯塔下面')).toBe(true);
    expect(matches('ドラゴン', '赤いドラゴンが来た')).toBe(true);
    expect(matches('드래곤', '드래곤은 잠들었다')).toBe(true);
    expect(matches('灯塔', 'the 灯塔')).toBe(true);
    expect(matches('灯塔', '灯 塔')).toBe(false);
  });

  it("finds each entry's first mention in one pass, whatever script its names are in", () => {
    const index = new NameIndex(4, (i) => [['Ember', '红龙'], ['the grey king'], ['the grey'], ['#pass']][i]!);
    expect([...index.firstMentions(forMatching('x the grey queen 红龙 #pass ember'))]).toEqual([17, -1, 2, 20]);
  });

  it('selects always-on first, then newest mention, skipping what does not fit and trying the next', () => {
    const entry = (key: string, text: string, always = false): LoreEntry => ({ key, aliases: [], text, always, by: 'test', at: 0 });
    const compiled = compileEntries([entry('A', 'x'.repeat(40)), entry('B', 'short'), entry('C', 'rule', true), entry('D', 'quiet')]);
    const texts = ['now b', 'earlier a and b'].map(forMatching);
    const all = selectLore(compiled, texts, 1000);
    expect(all.used.map((u) => u.key)).toEqual(['C', 'B', 'A']);
    expect(all.quiet).toBe(1);
    const tight = selectLore(compiled, texts, compiled.entries[2]!.tokens + compiled.entries[1]!.tokens);
    expect(tight.used.map((u) => u.key)).toEqual(['C', 'B']);
    expect(tight.skipped).toEqual([{ key: 'A', tokens: compiled.entries[0]!.tokens, reason: 'mentioned' }]);
    expect(tight.text).toBe('C: rule\nB: short');
    const tiny = selectLore(compiled, ['a'], 2);
    expect(tiny.used).toEqual([]);
    expect(tiny.skipped.map((s) => s.key)).toEqual(['C', 'A']);
    expect(tiny.text).toBe('');
  });
});
