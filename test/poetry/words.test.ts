import { beforeAll, describe, expect, it } from 'vitest';
import { loadDictionary } from '../../src/features/poem/checker/dictionary.js';
import { endWord, rhymeKind, rhymes } from '../../src/features/poem/checker/rhyme.js';
import { fallbackSyllables, lineSyllables, wordSyllables } from '../../src/features/poem/checker/syllables.js';
import { lineWords, numberWords } from '../../src/features/poem/checker/words.js';

beforeAll(loadDictionary);

describe('poetry: syllables', () => {
  it('counts dictionary words, with every listed pronunciation allowed', () => {
    expect(wordSyllables('cat')).toEqual([1]);
    expect(wordSyllables('water')).toEqual([2]);
    expect(wordSyllables('beautiful')).toEqual([3]);
    expect(wordSyllables('impediments')).toEqual([4]);
    expect(wordSyllables('fire')).toEqual([1, 2]);
    expect(wordSyllables('every')).toEqual([2, 3]);
    expect(wordSyllables("doesn't")).toEqual([2]);
    expect(wordSyllables("'tis")).toEqual([1]);
  });

  it("reads poets' elisions: possess'd is possessed, o'er one syllable, th' none", () => {
    expect(wordSyllables("possess'd")).toEqual([2]);
    expect(wordSyllables("dimm'd")).toEqual([1]);
    expect(wordSyllables("o'er")).toEqual([1]);
    expect(wordSyllables("heav'n")).toEqual([1]);
    expect(wordSyllables("wand'ring")).toEqual([2]);
    expect(wordSyllables("see'st")).toEqual([1]);
    expect(wordSyllables("th'")).toEqual([0]);
    expect(wordSyllables("lips'")).toEqual([1]);
  });

  it('splits hyphenated words and spells numbers out', () => {
    expect(wordSyllables('ever-fixed')).toEqual([3]);
    expect(wordSyllables('death-bed')).toEqual([2]);
    expect(numberWords(1999)).toEqual(['nineteen', 'ninety', 'nine']);
    expect(numberWords(250)).toEqual(['two', 'hundred', 'fifty']);
    expect(numberWords(2000)).toEqual(['two', 'thousand']);
    expect(lineSyllables('7 swans')).toEqual([3]);
    expect(lineWords('Splash! Silence — again.')).toEqual(['splash', 'silence', 'again']);
  });

  it('falls back to a spelling rule for words the dictionary lacks', () => {
    expect(wordSyllables('moppsikon')).toEqual([3]);
    expect(wordSyllables('glimmerlings')).toEqual([3]);
    expect(fallbackSyllables('cake')).toBe(1); // silent e
    expect(fallbackSyllables('table')).toBe(2); // -le
    expect(fallbackSyllables('makes')).toBe(1); // silent -es
    expect(fallbackSyllables('boxes')).toBe(2);
    expect(fallbackSyllables('pages')).toBe(2);
    expect(fallbackSyllables('jumped')).toBe(1); // silent -ed
    expect(fallbackSyllables('wanted')).toBe(2);
    expect(fallbackSyllables('happy')).toBe(2); // y as a vowel
    expect(fallbackSyllables('yes')).toBe(1);
    expect(fallbackSyllables('lion')).toBe(2);
    expect(fallbackSyllables('nation')).toBe(2);
    expect(fallbackSyllables('hmm')).toBe(1);
  });

  it('a line may have several counts (every combination)', () => {
    expect(lineSyllables('the fire and the flower')).toEqual([6, 7]); // fire: 1 or 2; flower: 2
    expect(lineSyllables('every fire')).toEqual([3, 4, 5]);
    expect(lineSyllables('An old silent pond')).toEqual([5]);
  });
});

describe('poetry: rhymes', () => {
  it('finds perfect rhymes from the last stressed vowel', () => {
    expect(rhymeKind('day', 'may')).toBe('perfect');
    expect(rhymeKind('despising', 'arising')).toBe('perfect');
    expect(rhymeKind('kilkenny', 'penny')).toBe('perfect');
    expect(rhymeKind('buzz', 'does')).toBe('perfect');
  });

  it('allows near rhymes where poets do, and not unrelated endings', () => {
    expect(rhymeKind('love', 'remove')).toBe('near');
    expect(rhymeKind('come', 'doom')).toBe('near');
    expect(rhymeKind("possess'd", 'least')).toBe('near');
    expect(rhymeKind('temperate', 'date')).toBe('near');
    expect(rhymeKind('time', 'line')).toBe('near');
    expect(rhymes('cat', 'cut')).toBe(false);
    expect(rhymes('night', 'cat')).toBe(false);
    expect(rhymes('see', 'day')).toBe(false);
    expect(rhymes('hen', 'dog')).toBe(false);
    expect(rhymes('orange', 'door')).toBe(false);
  });

  it('repeated words rhyme; unknown words rhyme by spelling', () => {
    expect(rhymeKind('beard', 'beard')).toBe('identical');
    expect(rhymeKind("ow'st", "grow'st")).toBe('perfect');
    expect(rhymeKind('glorble', 'snorble')).toBe('perfect');
    expect(rhymes('glorble', 'snorkel')).toBe(false);
  });

  it('the end word of a line ignores trailing punctuation and quotes', () => {
    expect(endWord('Have all built their nests in my beard!"')).toBe('beard');
    expect(endWord("Whose worth's unknown, although his height be taken.")).toBe('taken');
    expect(endWord('...')).toBe('');
  });
});
