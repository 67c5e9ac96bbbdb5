import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { MAX_LINE, parseChoices } from '../../src/features/story/choices.js';
import { hostileBeats } from '../support/hostile-text.js';
import { growth } from './growth.js';

/** Pieces that look like the parts of a list of choices, to build near misses from. */
const PIECES = [
  '1',
  '2',
  '3',
  '4',
  '5',
  '12',
  '１',
  '２',
  '一',
  '二',
  '.',
  ')',
  '(',
  '（',
  '）',
  '、',
  ':',
  '：',
  '-',
  '–',
  '*',
  '**',
  '_',
  '__',
  '#',
  '•',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  '\u2028',
  'Run',
  'Hide now',
  '"',
  '“',
  '”',
  'Choices',
  'What do you do',
  '?',
  '你们会怎么做',
];
const nearList = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));

const FULL_WIDTH = ['１', '２', '３', '４'];
const ZH = ['一', '二', '三', '四'];
/** The formats the storyteller is known to write, as (1-based number, option) → line. */
const FORMATS: Array<(k: number, text: string) => string> = [
  (k, t) => `${k}. ${t}`,
  (k, t) => `${k}) ${t}`,
  (k, t) => `(${k}) ${t}`,
  (k, t) => `**${k}.** ${t}`,
  (k, t) => `**${k}. ${t}**`,
  (k, t) => `${k} - ${t}`,
  (k, t) => `- ${k}. ${t}`,
  (k, t) => `${FULL_WIDTH[k - 1]}．${t}`,
  (k, t) => `${ZH[k - 1]}、${t}`,
  (k, t) => `${k}: ${t}`,
];
const sentence = fc.stringMatching(/^[A-Z][a-z]{1,8}(?: [a-z,']{1,8}){0,6}[.!]$/);
const option = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,'?!-]{0,40}[A-Za-z0-9?!]$/);

describe('fuzz: the choice parser', () => {
  test.prop(
    [
      fc.oneof(
        nearList,
        fc.string(),
        fc.tuple(fc.string(), nearList).map(([a, b]) => a + b),
      ),
    ],
    { numRuns: 400, interruptAfterTimeLimit: 10_000 },
  )('narration and choices are a faithful split of the reply: nothing invented, choices only from the end', (reply) => {
    const parsed = parseChoices(reply);
    if (parsed.choices.length === 0) {
      expect(parsed.narration).toBe(reply);
      return;
    }
    const k = parsed.choices.length;
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThanOrEqual(4);
    const normalized = reply.replace(/\r\n/g, '\n');
    expect(normalized.startsWith(parsed.narration)).toBe(true);
    expect(parsed.narration.trim()).not.toBe('');
    // After the narration: at most one label line, then one line per choice, in order.
    const rest = normalized
      .slice(parsed.narration.length)
      .split('\n')
      .filter((line) => line.trim());
    expect(rest.length - k).toBeGreaterThanOrEqual(0);
    expect(rest.length - k).toBeLessThanOrEqual(1);
    rest.slice(-k).forEach((line, i) => expect(line).toContain(parsed.choices[i]));
  });

  test.prop(
    [
      fc.array(sentence, { minLength: 1, maxLength: 4 }),
      fc.array(option, { minLength: 2, maxLength: 4 }),
      fc.constantFrom(...FORMATS),
      fc.boolean(),
      fc.constantFrom('', 'What do you do?', '**Choices:**', '你们会怎么做？'),
      fc.constantFrom('', '\n'),
    ],
    { numRuns: 300, interruptAfterTimeLimit: 10_000 },
  )('reads back a list it is given, in every known format', (sentences, options, format, spaced, label, end) => {
    const narration = sentences.join('\n');
    const list = options.map((o, i) => format(i + 1, o)).join(spaced ? '\n\n' : '\n');
    const reply = `${narration}\n\n${label ? `${label}\n` : ''}${list}${end}`;
    expect(parseChoices(reply)).toEqual({ narration, choices: options });
  });

  const UNIT = fc.string({ unit: fc.constantFrom(' ', '\t', '1', '.', '(', ')', '*', '_', '#', '-', ':', 'x', '\n'), minLength: 1, maxLength: 4 });
  const AROUND = ['', 'Story.\n', 'Story.\nChoices', 'Story.\n1.', 'Story.\n- ', 'Story.\n**1.** '];
  test.prop([UNIT, fc.constantFrom(...AROUND), fc.constantFrom('', 'x', '\u2028x', '\n1. a\n2. b', '?\n1. a\n2. b')], {
    numRuns: 10,
    interruptAfterTimeLimit: 20_000,
  })('costs time linear in the reply on runs of spaces, digits, dots and parentheses', (unit, prefix, suffix) => {
    expect(growth(parseChoices, (n) => prefix + unit.repeat(n) + suffix, 2000)).toBeLessThan(8);
  });

  it.each(Object.entries(hostileBeats))('costs time linear in the reply on %s', (_name, make) => {
    expect(growth(parseChoices, make, 4000)).toBeLessThan(8);
  });

  // Regressions: the inputs that made the old regular expressions explode.
  it('a label line followed by a line of spaces (was cubic: 4 s at 2,000 characters)', () => {
    const make = hostileBeats['a label followed by a line of spaces']!;
    expect(growth(parseChoices, make, 400)).toBeLessThan(8);
    expect(parseChoices(make(400)).choices).toEqual(['Run', 'Hide']);
  });

  it('a run of asterisks or underscores inside an option (was exponential: 0.7 s at 35 characters)', () => {
    for (const family of ['a run of asterisks inside an item', 'a run of underscores inside an item']) {
      const make = hostileBeats[family]!;
      expect(growth(parseChoices, make, 8)).toBeLessThan(8);
      expect(parseChoices(make(40)).choices).toEqual([`Run${(family.includes('asterisks') ? '*' : '_').repeat(40)}x`, 'Hide']);
    }
  });

  it(`a line longer than ${MAX_LINE} characters is narration, not an option`, () => {
    const long = 'a'.repeat(MAX_LINE);
    expect(parseChoices(`Story.\n1. Run\n2. ${long}`).choices).toEqual([]);
    expect(parseChoices(`Story.\n1. Run\n2. ${long.slice(4)}`).choices).toEqual(['Run', long.slice(4)]);
  });
});
