import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../src/text/split.js';

const para = (n: number, len: number) =>
  `P${n} ` +
  'word '
    .repeat(Math.ceil(len / 5))
    .slice(0, len - 3 - String(n).length)
    .trimEnd() +
  '.';

describe('splitMessage', () => {
  it('keeps short text whole, and empty text as one empty piece', () => {
    expect(splitMessage('hello', 2000)).toEqual(['hello']);
    expect(splitMessage('', 2000)).toEqual(['']);
  });

  it('cuts at paragraph breaks, each piece within the limit, nothing lost', () => {
    const text = Array.from({ length: 12 }, (_, i) => para(i, 430)).join('\n\n');
    const pieces = splitMessage(text, 2000);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(2000);
    for (const p of pieces.slice(0, -1)) expect(p.endsWith('.\n\n')).toBe(true);
  });

  it('keeps stanzas together (cuts at the blank line between them)', () => {
    const stanza = (n: number) => Array.from({ length: 4 }, (_, i) => `stanza ${n} line ${i} of the long poem`).join('\n');
    const text = Array.from({ length: 20 }, (_, i) => stanza(i)).join('\n\n');
    const pieces = splitMessage(text, 500);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces)
      expect(
        p
          .trim()
          .split('\n\n')
          .every((s) => s.split('\n').length === 4),
      ).toBe(true);
  });

  it('falls back to lines, sentences, spaces, then a hard cut that never splits a surrogate pair', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} with some words`).join('\n');
    for (const p of splitMessage(lines, 100).slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
    const sentences = 'One sentence here. '.repeat(30).trim();
    const s = splitMessage(sentences, 100);
    expect(s.join('')).toBe(sentences);
    for (const p of s.slice(0, -1)) expect(p.endsWith('. ')).toBe(true);
    const chinese = '春眠不觉晓。处处闻啼鸟。'.repeat(30);
    const c = splitMessage(chinese, 100);
    expect(c.join('')).toBe(chinese);
    for (const p of c.slice(0, -1)) expect(p.endsWith('。')).toBe(true);
    const emoji = '😀'.repeat(100);
    const e = splitMessage(emoji, 51);
    expect(e.join('')).toBe(emoji);
    for (const p of e) expect(p.length).toBeLessThanOrEqual(51);
    for (const p of e) expect(/^(?:😀)+$/u.test(p)).toBe(true);
  });

  it('moves a code block whole to the next piece when it fits there', () => {
    const code = '```ts\n' + Array.from({ length: 10 }, (_, i) => `const x${i} = ${i};`).join('\n') + '\n```';
    const text = 'Intro line of text.\n' + 'x'.repeat(60) + '\n' + code + '\nAfter.';
    const pieces = splitMessage(text, 180);
    expect(pieces.join('')).toBe(text);
    const withCode = pieces.find((p) => p.includes('```ts'))!;
    expect(withCode).toContain('const x9 = 9;\n```');
  });

  it('splits a code block longer than a piece with its fence closed and reopened', () => {
    const body = Array.from({ length: 60 }, (_, i) => `print(${i})`).join('\n');
    const text = '```python\n' + body + '\n```';
    const pieces = splitMessage(text, 200);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(200);
      expect(p.startsWith('```python\n')).toBe(true);
      expect(p.trimEnd().endsWith('```')).toBe(true);
    }
    // Nothing lost: remove the added fences and the text comes back.
    const rebuilt = pieces
      .map((p, i) => {
        let q = p;
        if (i > 0) q = q.slice('```python\n'.length);
        if (i < pieces.length - 1) q = q.slice(0, -'```'.length);
        return q;
      })
      .join('');
    expect(rebuilt).toBe(text);
  });
});
