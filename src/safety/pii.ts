/**
 * PII redaction for user text before it reaches the model or the store (MUSE_REDACT_PII=on):
 * e-mail addresses, payment card numbers and phone numbers become `[email]`, `[card]`, `[phone]`.
 *
 *   const { text, kinds } = redactPii(message);   // kinds: what was redacted, for the log
 *
 * Linear time: the patterns have bounded repetitions and no nested quantifiers, so one match
 * attempt costs at most a constant number of steps; each candidate (at most ~45 characters) is
 * then checked by code.
 *   - E-mail: local@domain, with a dotted domain whose last label has 2+ letters.
 *   - Cards: 13–19 digits starting 1–9, bare or in groups joined by single spaces or dashes
 *     (the first group of 4), passing the Luhn check. Not after a `+` (a phone number).
 *   - Phones: `+` or `00`, then 8–15 digits, grouped any way; national numbers with a trunk 0
 *     (9–12 digits, groups of 2+, one kind of separator, area code optionally in parentheses);
 *     NNN-NNN-NNNN, 1-NNN-NNN-NNNN, (NNN) NNN-NNNN and NNN-NNNN-NNNN with spaces, dashes or
 *     dots; bare 11-digit mobiles 13x–19x (China) and bare 10–11-digit numbers with a trunk 0.
 *     Ordinary numbers stay: years, counts, times, dates, ranges, prices, decimals, versions,
 *     IP addresses, ISBNs, Unix times.
 */

export type PiiKind = 'email' | 'phone' | 'card';

export interface Redaction {
  text: string;
  /** The kinds that were redacted, each once, in the order found (e-mail, card, phone). */
  kinds: PiiKind[];
}

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}/g;
const CARD = /(?<![\d+])\d[\d -]{11,40}\d(?!\d)/g;
const PHONE = /(?<![\w/=&?#@+.-])[+(]?\d[\d ().-]{4,24}\d(?![\w@]|[.-]\d)/g;

export function redactPii(input: string): Redaction {
  const kinds: PiiKind[] = [];
  const noted = (kind: PiiKind) => () => void (kinds.includes(kind) || kinds.push(kind));
  let text = input;
  if (text.includes('@')) text = text.replace(EMAIL, (m) => redactEmail(m, noted('email')));
  if (/\d/.test(text)) {
    text = text.replace(CARD, (m) =>
      redactRun(m, { separator: /([ -]+)/, minDigits: 13, maxDigits: 19, maxTokens: 5, valid: isCard, label: '[card]', noted: noted('card') }),
    );
    text = text.replace(PHONE, (m) =>
      redactRun(m, { separator: /( +)/, minDigits: 7, maxDigits: 17, maxTokens: 7, valid: isPhone, label: '[phone]', noted: noted('phone') }),
    );
  }
  return { text, kinds };
}

function redactEmail(match: string, noted: () => void): string {
  const at = match.indexOf('@');
  const local = match.slice(0, at).replace(/^\.+/, '');
  const lead = match.slice(0, at - local.length);
  const rawDomain = match.slice(at + 1);
  const domain = rawDomain.replace(/[.-]+$/, '');
  const labels = domain.split('.');
  const ok = local !== '' && labels.length >= 2 && labels.every((l) => l !== '' && l.length <= 63) && /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]!);
  if (!ok) return match;
  noted();
  return `${lead}[email]${rawDomain.slice(domain.length)}`;
}

interface RunRule {
  /** Splits a candidate into tokens, keeping the separators (a capturing group). */
  separator: RegExp;
  /** A window outside these digit counts is skipped without a closer look. */
  minDigits: number;
  maxDigits: number;
  /** The most tokens a match has (a card has at most 5 groups, a phone number 7). */
  maxTokens: number;
  valid: (s: string) => boolean;
  label: string;
  noted: () => void;
}

/**
 * The candidate as a whole when valid; else the longest, leftmost run of its tokens that is,
 * and so on in the rest: "in 2024 4111 1111 1111 1111" → "in 2024 [card]". A candidate has a
 * bounded length, so this is a constant amount of work.
 */
function redactRun(candidate: string, rule: RunRule): string {
  if (rule.valid(candidate)) {
    rule.noted();
    return rule.label;
  }
  const parts = candidate.split(rule.separator); // token, separator, token, ...
  const tokens = Math.ceil(parts.length / 2);
  const digitsBefore = [0]; // digits in the tokens before token i
  for (let i = 0; i < tokens; i++) digitsBefore.push(digitsBefore[i]! + countDigits(parts[2 * i]!));
  for (let size = Math.min(tokens - 1, rule.maxTokens); size >= 1; size--) {
    for (let start = 0; start + size <= tokens; start++) {
      const digits = digitsBefore[start + size]! - digitsBefore[start]!;
      if (digits < rule.minDigits || digits > rule.maxDigits) continue;
      const piece = parts.slice(2 * start, 2 * (start + size) - 1).join('');
      if (!rule.valid(piece)) continue;
      rule.noted();
      const before = parts.slice(0, 2 * start).join('');
      const rest = parts.slice(2 * (start + size) - 1).join('');
      return before + rule.label + (/\d/.test(rest) ? redactRun(rest, rule) : rest);
    }
  }
  return candidate;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++;
  return n;
}

/** The Luhn checksum of a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function isCard(s: string): boolean {
  if (!/^[1-9][\d -]*\d$/.test(s)) return false;
  const digits = s.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return false;
  const groups = s.split(/[ -]/);
  if (groups.length === 1) return true;
  const separators = new Set(s.replace(/\d/g, ''));
  return separators.size === 1 && groups.length <= 5 && groups[0]!.length === 4 && groups.every((g) => g.length <= 6);
}

/** One separator between two digit groups: a space, dash or dot, or a parenthesis with at most one of those. */
const SEPARATOR = /^(?:[ .-]|\)[ .-]?|[ .-]?\()$/;

function isPhone(s: string): boolean {
  const parts = s.split(/(\d+)/); // lead, digits, separator, digits, ..., trail
  const lead = parts[0]!;
  const groups = parts.filter((_, i) => i % 2 === 1);
  const separators = parts.slice(2, -1).filter((_, i) => i % 2 === 0);
  if (parts[parts.length - 1] !== '' || !['', '+', '('].includes(lead) || !separators.every((sep) => SEPARATOR.test(sep))) return false;
  if (!parensAroundOneGroup(s)) return false;
  const digits = groups.join('');
  if (lead === '+') return digits.length >= 8 && digits.length <= 15;
  if (/^00[1-9]/.test(digits)) return digits.length >= 10 && digits.length <= 17;
  if (groups.length === 1) return /^(?:0[1-9]\d{8,9}|1[3-9]\d{9})$/.test(digits);
  const kinds = new Set(separators.filter((sep) => !/[()]/.test(sep)).join(''));
  if (kinds.size > 1) return false;
  if (digits.startsWith('0')) return digits.length >= 9 && digits.length <= 12 && groups.every((g) => g.length >= 2 && g.length <= 8);
  const shape = groups.map((g) => g.length).join('-');
  return shape === '3-3-4' || shape === '3-4-4' || (shape === '1-3-3-4' && groups[0] === '1');
}

/** No parentheses, or one pair around the first group of digits: "(020) 7946 0958". */
function parensAroundOneGroup(s: string): boolean {
  const open = s.split('(').length - 1;
  const close = s.split(')').length - 1;
  if (open === 0 && close === 0) return true;
  return open === 1 && close === 1 && /^\+?\d{0,3} ?\(\d{1,5}\)/.test(s);
}
