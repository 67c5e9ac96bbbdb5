import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { luhnValid, redactPii } from '../../src/safety/pii.js';

const PHONES = [
  '+1 (555) 123-4567',
  '+1 555-123-4567',
  '+44 20 7946 0958',
  '+86 138 0013 8000',
  '+33 6 12 34 56 78',
  '+4915112345678',
  '0044 20 7946 0958',
  '(555) 123-4567',
  '555-123-4567',
  '555.123.4567',
  '555 123 4567',
  '1-800-555-0199',
  '020 7946 0958',
  '(020) 7946 0958',
  '07700 900123',
  '030 12345678',
  '06 12 34 56 78',
  '0161-496-0000',
  '138-0013-8000',
  '13800138000',
  '0201234567',
];

const ORDINARY = [
  'in 2024',
  '1,000,000 people',
  'at 10:30',
  'on 2024-01-15',
  'from 1990-2000',
  'pi is 3.14159265',
  'chapter 12',
  '$1,299.99',
  '192.168.1.1',
  'ISBN 978-3-16-148410-0',
  '1 2 3 4 5 6 7 8 9 10',
  '12 345 678 stars',
  '10 20 30 40 50',
  'at 1700000000',
  '1990 2000 2010',
  '100 200 300 400',
  'pages 250-1000',
  '1.299.999 €',
  '123 456 789',
  '1 234 567 890',
  'v1.2.3',
  'https://example.com/a/0123456789',
  '10000000000 grains',
  '2024-01-15 and 2024-02-15',
  '12:30-14:00',
  '01.02.2024',
  '1,234,567,890',
  'score 100-95',
  'order #55512345678',
  'card 4111 1111 1111 1112',
  'x@y',
  'a@b.c',
  'me@localhost',
];

describe('redactPii', () => {
  it.each(PHONES)('redacts the phone number %s', (phone) => {
    expect(redactPii(`Call ${phone} now.`)).toEqual({ text: 'Call [phone] now.', kinds: ['phone'] });
  });

  it.each(ORDINARY)('leaves %j alone', (text) => {
    expect(redactPii(text)).toEqual({ text, kinds: [] });
  });

  it('redacts e-mail addresses, keeping the punctuation after them', () => {
    expect(redactPii('Write to a.b+c@ex-ample.co.uk. Or ZED_9@mail.example.org, thanks')).toEqual({
      text: 'Write to [email]. Or [email], thanks',
      kinds: ['email'],
    });
  });

  it('redacts Luhn-valid card numbers, bare or grouped, and only the card in a longer run', () => {
    expect(redactPii('4111 1111 1111 1111 / 4111-1111-1111-1111 / 4111111111111111 / 3782 822463 10005').text).toBe('[card] / [card] / [card] / [card]');
    expect(redactPii('in 2024 4111 1111 1111 1111 it expired')).toEqual({ text: 'in 2024 [card] it expired', kinds: ['card'] });
    expect(redactPii('call 2024 555-123-4567')).toEqual({ text: 'call 2024 [phone]', kinds: ['phone'] });
  });

  it('redacts every kind in one text, in Chinese text too, and says which', () => {
    const { text, kinds } = redactPii('我的电话是13800138000。mail me@x.io, card 5500 0000 0000 0004.');
    expect(text).toBe('我的电话是[phone]。mail [email], card [card].');
    expect(kinds).toEqual(['email', 'card', 'phone']);
  });

  it('luhnValid', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
});

/** A card number of `length` digits, Luhn-valid, from `body` (first digit 1-9). */
function luhnCard(body: number[], length: number): string {
  const digits = body.slice(0, length - 1);
  for (let check = 0; check <= 9; check++) {
    const candidate = [...digits, check].join('');
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable');
}

const noDigits = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/[0-9]/g, ''));
const card = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }),
    fc.integer({ min: 13, max: 19 }),
    fc.constantFrom('', ' ', '-'),
  )
  .map(([first, rest, length, sep]) => {
    const digits = luhnCard([first, ...rest], length);
    return sep === '' ? digits : (digits.match(/.{1,4}/g) ?? []).join(sep);
  });

describe('redactPii properties', () => {
  test.prop([noDigits, card, noDigits])('always redacts a Luhn-valid card number', (before, number, after) => {
    const { text, kinds } = redactPii(`${before} ${number} ${after}`);
    expect(text).not.toContain(number);
    expect(text.replace(/\D/g, '')).toBe('');
    expect(kinds).toContain('card');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 400 }).filter((s) => !/[0-9@]/.test(s))])('leaves text without digits or @ unchanged', (text) => {
    expect(redactPii(text)).toEqual({ text, kinds: [] });
  });

  const hostile = fc.oneof(
    fc.constantFrom('1 ', '1-', '12 ', '0 1', '00 ', '4111 ', '(555) ', '1 2-', 'a@', '@a.', 'a.', '+1 ', '1.', '(1', 'a@b.cc '),
    fc.array(fc.constantFrom('1', '0', '4', ' ', '-', '.', '(', ')', '+', '@', 'a', '_'), { minLength: 1, maxLength: 8 }).map((a) => a.join('')),
  );
  // Linear: 4× the input costs less than 8× the time (quadratic would be 16×), measured here.
  // The lead puts an @ or a digit before a long run, so every pattern has work to do. Sizes
  // are measured in turns (n, 4n, n, 4n, ...) and the best of 5 kept, so a burst of load on a
  // shared machine does not land on one size only; the time is the process's CPU time.
  test.prop([fc.constantFrom('', '@', '1 '), hostile], {
    numRuns: 16,
    examples: [
      ['@', 'a'],
      ['@', '1'],
      ['', '1 '],
    ],
  })('takes linear time on adversarial input', (lead, unit) => {
    const textOf = (n: number) => lead + unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    // CPU time, not the wall clock: other processes on a shared machine do not count.
    const once = (text: string) => {
      const start = process.cpuUsage();
      redactPii(text);
      const spent = process.cpuUsage(start);
      return (spent.user + spent.system) / 1000;
    };
    let n = 4_000;
    while (once(textOf(n)) < 4 && n < 64_000) n *= 2;
    const small = textOf(n);
    const large = textOf(4 * n);
    let bestSmall = Infinity;
    let bestLarge = Infinity;
    for (let i = 0; i < 5; i++) {
      bestSmall = Math.min(bestSmall, once(small));
      bestLarge = Math.min(bestLarge, once(large));
    }
    expect(bestLarge).toBeLessThan(8 * Math.max(bestSmall, 0.5));
  });
});
