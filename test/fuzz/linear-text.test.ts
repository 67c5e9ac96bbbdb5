import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { slug } from '../../src/features/persona/from-card.js';
import { cleanPoem } from '../../src/features/poem/checker/clean.js';
import { loadDictionary } from '../../src/features/poem/checker/dictionary.js';
import { checkPoem } from '../../src/features/poem/checker/forms.js';
import { rhymeKind } from '../../src/features/poem/checker/rhyme.js';
import { lineWords } from '../../src/features/poem/checker/words.js';
import { parseCommandLine } from '../../src/engine/text-command.js';
import { extractJson, parseGrades, parseQuestions } from '../../src/features/tutor/parse.js';
import { growth } from './growth.js';

/**
 * Each case is text a model or a user can send that made one of the regular expressions in the
 * poem checker, the tutor's parsers, the card importer or the command parser backtrack: the
 * cost must grow linearly with the hostile run (4× the input, less than 8× the time).
 */
const parseQuietly = (line: string) => {
  try {
    parseCommandLine(line, commands);
  } catch {
    // only the cost counts here
  }
};

const cases: Array<[string, (input: string) => unknown, (n: number) => string, number]> = [
  ['a grade line with a run of spaces (was cubic: 9 s at 2,000 characters)', (s) => parseGrades(s, 3), (n) => `1${' '.repeat(n)}x`, 150],
  ['a quiz question line with a run of tabs before a stray \\r (was cubic)', (s) => parseQuestions(s, 3), (n) => `1. ${'\t'.repeat(n)}\r`, 150],
  ['a JSON grade whose score is a number then spaces', (s) => parseGrades(s, 3), (n) => JSON.stringify({ grades: [{ score: `1${' '.repeat(n)}x` }] }), 2000],
  ['an unclosed code fence followed by whitespace (was quadratic)', extractJson, (n) => `\`\`\`${' \n'.repeat(n / 2)}`, 4000],
  ['a poem line with a run of spaces inside it (was quadratic)', cleanPoem, (n) => `An old pond${' '.repeat(n)}a frog`, 4000],
  ['a word with a run of hyphens inside it (was quadratic)', lineWords, (n) => `a${'-'.repeat(n)}b`, 4000],
  ['a haiku whose line holds a run of hyphens', (s) => checkPoem(s, 'haiku'), (n) => `An old pond\na${'-'.repeat(n)}b\nsplash`, 4000],
  ['a rhyme on a long run of vowels (was quadratic)', (s) => rhymeKind(s, 'zzba'), (n) => `${'a'.repeat(n)}ba`, 4000],
  ['a rhyme on a long run of consonants ending in -es', (s) => rhymeKind(s, 'zzbes'), (n) => `a${'b'.repeat(n)}es`, 4000],
  ['a card name with a run of dashes and underscores (was quadratic)', slug, (n) => `a${'-_'.repeat(n / 2)}b`, 4000],
  ['a command line of unclosed curly quotes (was quadratic)', parseQuietly, (n) => `/persona use ${'“a '.repeat(n / 3)}`, 6000],
];

describe('fuzz: the other parsers of model and user text run in linear time', () => {
  beforeAll(loadDictionary);

  it.each(cases)('%s', (_name, run, make, n) => {
    expect(growth(run, make, n)).toBeLessThan(8);
  });

  it('still reads what these parsers are for', () => {
    expect(parseGrades(`1${' '.repeat(50)}2/2 good\n2. 1 / 2   — check the sign\r`, 2)).toEqual([
      { score: 2, max: 2, feedback: 'good' },
      { score: 1, max: 2, feedback: 'check the sign' },
    ]);
    expect(parseQuestions(`1.${'\t'.repeat(20)}What is 2+2?\r\n2. And 3+3?`, 3)).toEqual([{ question: 'What is 2+2?' }, { question: 'And 3+3?' }]);
    expect(extractJson('Here:\n```json\n{"a": 1}\n```\n```')).toEqual({ a: 1 });
    expect(cleanPoem('An old pond   \t\nA frog jumps in  \nSplash!')).toBe('An old pond\nA frog jumps in\nSplash!');
    expect(lineWords('--well-known-- words')).toEqual(['well-known', 'words']);
    expect(rhymeKind('zzshade', 'qqmade')).toBe('perfect');
    expect(slug('__Élodie the Bard--')).toBe('elodie-the-bard');
    expect(parseCommandLine('/persona use “the bard”', commands).options).toEqual({ name: 'the bard' });
  });
});
