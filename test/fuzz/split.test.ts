import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { openFenceAt, splitMessage } from '../../src/text/split.js';

const PROSE = [
  'a',
  'word ',
  'Word',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\n \n',
  '.',
  '. ',
  '!',
  '?"',
  '。',
  '，',
  '😀',
  '漢',
  '\t',
  '@everyone',
  '@here',
  '<@123456789>',
  '<@&42>',
  '@',
  'every',
  'one',
  'https://x.io/a',
];
const FENCES = ['```', '```js', '~~~', '````'];
const prose = fc.array(fc.constantFrom(...PROSE), { maxLength: 120 }).map((p) => p.join(''));
/** Prose with closed code blocks in it (fence lines of ``` or ~~~, with or without a language). */
const fenced = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: prose },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...FENCES), prose).map(([f, body]) => `\n${f}\n${body.replace(/[`~]/g, '')}\n${f.replace(/[a-z]+$/, '')}\n`),
      },
    ),
    { maxLength: 6 },
  )
  .map((p) => p.join(''));
const limit = fc.integer({ min: 16, max: 160 });
const PINGS = /@everyone|@here|<@&?\d+>/g;

/**
 * Whether `parts` are `text` cut into pieces, apart from the fence lines the splitter adds
 * around a cut inside a code block (a closing fence at the end of one part, the opening fence
 * line again at the start of the next). Tries both readings at each cut.
 */
function rebuilds(text: string, parts: readonly string[], i = 0, at = 0, reopen?: string): boolean {
  if (i === parts.length) return at === text.length && reopen === undefined;
  let part = parts[i]!;
  if (reopen !== undefined) {
    const line = /^( {0,3}(`{3,}|~{3,})[^\n]*)\n/.exec(part);
    if (!line || !line[2]!.startsWith(reopen)) return false;
    part = part.slice(line[0].length);
  }
  if (text.startsWith(part, at) && rebuilds(text, parts, i + 1, at + part.length)) return true;
  const close = /(`{3,}|~{3,})$/.exec(part);
  if (!close) return false;
  const head = part.slice(0, -close[0].length);
  for (const kept of head.endsWith('\n') ? [head, head.slice(0, -1)] : []) {
    if (text.startsWith(kept, at) && rebuilds(text, parts, i + 1, at + kept.length, close[1])) return true;
  }
  return false;
}

describe('fuzz: splitting a reply into messages', () => {
  test.prop([prose, limit], { numRuns: 1000, interruptAfterTimeLimit: 10_000 })(
    'without code blocks, the parts joined are the text, each within the limit',
    (text, max) => {
      const parts = splitMessage(text, max);
      expect(parts.join('')).toBe(text);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
      if (text) for (const part of parts) expect(part.length).toBeGreaterThan(0);
    },
  );

  test.prop([fenced, limit], { numRuns: 1000, interruptAfterTimeLimit: 10_000 })(
    'with code blocks: each part within the limit, no block left open, nothing lost or invented but fence lines',
    (text, max) => {
      expect(openFenceAt(text, text.length)).toBeUndefined();
      const parts = splitMessage(text, max);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(max);
        expect(openFenceAt(part, part.length), JSON.stringify(part)).toBeUndefined();
      }
      expect(rebuilds(text, parts)).toBe(true);
    },
  );

  test.prop([fc.oneof(prose, fenced), limit], { numRuns: 1000, interruptAfterTimeLimit: 10_000 })(
    'cutting and joining creates no mention: every one in a part is in the text',
    (text, max) => {
      const inText = new Set(text.match(PINGS) ?? []);
      for (const part of splitMessage(text, max)) for (const ping of part.match(PINGS) ?? []) expect(inText.has(ping)).toBe(true);
      const count = (s: string) => (s.match(PINGS) ?? []).length;
      expect(splitMessage(text, max).reduce((n, part) => n + count(part), 0)).toBeLessThanOrEqual(count(text));
    },
  );

  // Found by the property above (seed -1580138493): a cut inside a code block that closed
  // before the end of the message added a fence at the block's end, opening a new block, and
  // the rest of the reply rendered as code.
  it.each([
    ['the shrunk counterexample', '\n```\n\n```\n<@123456789>', 16],
    [
      'a code block with a blank line near its end, then a long paragraph',
      '```py\n' + 'x = x + 1\n'.repeat(70) + '\nprint(x)\n```\n' + 'The model explains the code at length. '.repeat(60),
      2000,
    ],
  ])('a block that closes within the message is kept whole, not closed twice: %s', (_name, text, max) => {
    const parts = splitMessage(text, max);
    for (const part of parts) expect(openFenceAt(part, part.length)).toBeUndefined();
    expect(parts.join('')).toBe(text);
    expect(parts[0]!.endsWith('```\n')).toBe(true);
  });
});
