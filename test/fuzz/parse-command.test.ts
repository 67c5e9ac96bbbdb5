import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { commands } from '../../commands/index.js';
import { UserFacingError } from '../../src/engine/parts.js';
import { callables, type ResolvedCommand } from '../../src/engine/spec.js';
import { parseCommandLine } from '../../src/engine/text-command.js';
import { growth } from './growth.js';

/** Every callable command (a command, or one of its subcommands). */
const resolvedCommands: ResolvedCommand[] = commands.flatMap((c) => callables(c));

const PIECES = [
  '/',
  'story',
  'new',
  'persona',
  'use',
  'lore',
  'add',
  'import',
  'poem',
  'tutor',
  'quiz',
  'help',
  'muse-help',
  ' ',
  '  ',
  '\n',
  '\t',
  '"',
  '“',
  '”',
  'a',
  'b c',
  'key:',
  'name:',
  'form:',
  'text:',
  'premise:',
  'vote:',
  'Ember|wyrm',
  'x:',
  ':',
  '\u00a0',
  '\u2028',
];
const lineLike = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

/** Text with no whitespace that is not a quoted value: how a one-word option is written. */
const word = fc.string({ unit: fc.constantFrom(...'abcnekymxXYZ019-_.,!?|:é漢'.split('')), minLength: 1, maxLength: 12 });
/** Free text for a rest option: words of the same letters, one space apart, no quote. */
const phrase = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '));

describe('fuzz: the text command parser', () => {
  test.prop(
    [
      fc.oneof(
        lineLike,
        fc.string(),
        fc.string({ unit: 'binary' }),
        lineLike.map((l) => `/${l}`),
      ),
    ],
    { numRuns: 500, interruptAfterTimeLimit: 10_000 },
  )('never throws anything but a UserFacingError', (line) => {
    try {
      parseCommandLine(line, commands);
    } catch (err) {
      expect(err).toBeInstanceOf(UserFacingError);
    }
  });

  test.prop(
    [
      fc.constantFrom(...resolvedCommands.filter((r) => r.options.some((o) => o.type !== 'attachment'))),
      fc.infiniteStream(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), word, phrase)),
      fc.boolean(),
      fc.boolean(),
    ],
    { numRuns: 300, interruptAfterTimeLimit: 10_000 },
  )('round-trips options written name:value (in any order and case, quoted or bare)', (resolved, choices, shuffle, restBare) => {
    const marker = new RegExp(`(?:^|\\s)(${resolved.options.map((o) => o.name).join('|')}):`, 'i');
    const expected: Record<string, string> = {};
    const written: string[] = [];
    let bare = '';
    const draws = choices[Symbol.iterator]();
    for (const option of resolved.options) {
      if (option.type === 'attachment') continue;
      const [give, upper, quoted, oneWord, text] = draws.next().value!;
      if (!give) continue;
      const name = upper ? option.name.toUpperCase() : option.name;
      if (option.rest) {
        // A value that names another option would end this one there (the documented grammar).
        if (marker.test(text)) continue;
        expected[option.name] = text;
        if (restBare) bare = text;
        else written.push(`${name}:${text}`);
      } else if (quoted) {
        if (marker.test(text)) continue;
        expected[option.name] = text;
        written.push(`${name}:"${text}"`);
      } else {
        expected[option.name] = oneWord;
        written.push(`${name}:${oneWord}`);
      }
    }
    if (shuffle) written.reverse();
    const line = [`/${resolved.path}`, bare, ...written].filter(Boolean).join(' ');
    const parsed = parseCommandLine(line, commands);
    expect(parsed.resolved.path).toBe(resolved.path);
    expect(parsed.options).toEqual(expected);
  });

  const UNIT = fc.constantFrom('“a ', '"a ', '"', '“', ' ', 'x:', 'name:', 'key:a ', 'a', '\t\n', '”');
  test.prop([UNIT, fc.constantFrom('/persona use ', '/story new ', '/lore add ', '/tutor quiz ', '/poem ', '/', '')], {
    numRuns: 8,
    interruptAfterTimeLimit: 20_000,
  })('costs time linear in the line on runs of quotes, spaces and option names', (unit, prefix) => {
    const parse = (line: string) => {
      try {
        parseCommandLine(line, commands);
      } catch {
        // only the cost counts here
      }
    };
    expect(growth(parse, (n) => prefix + unit.repeat(Math.ceil(n / unit.length)), 4000)).toBeLessThan(8);
  });
});
