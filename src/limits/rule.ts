/**
 * A rate-limit rule as written in MUSE_LIMIT_USER / MUSE_LIMIT_WORKSPACE: `N/DURATION`, where
 * DURATION is a whole number of s, m, h or d (`20/10m`, `300/1h`; `5/h` means `5/1h`), or `off`.
 */

export interface LimitRule {
  /** Requests allowed per window. */
  points: number;
  /** The window, in milliseconds (whole seconds). */
  durationMs: number;
}

/** A limit from the configuration: the rule (undefined when off) and whether it was set explicitly. */
export interface LimitSetting {
  rule: LimitRule | undefined;
  /** True when the variable was set; the terminal is exempt from limits that were not. */
  explicit: boolean;
}

export const LIMIT_FORMAT = 'must be N/DURATION with DURATION in s, m, h or d (e.g. 20/10m), or off';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_DURATION_MS = 366 * UNIT_MS.d;

/** Parses a rule; 'off' for off; undefined when the text is not a rule. */
export function parseLimitRule(text: string): LimitRule | 'off' | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'off') return 'off';
  const match = /^(\d{1,9})\s*\/\s*(\d{0,6})\s*([smhd])$/.exec(value);
  if (!match) return undefined;
  const points = Number(match[1]);
  const count = match[2] === '' ? 1 : Number(match[2]);
  const durationMs = count * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  if (points < 1 || count < 1 || durationMs > MAX_DURATION_MS) return undefined;
  return { points, durationMs };
}

/** A setting from the default text, not set explicitly. */
export function defaultLimit(text: string): LimitSetting {
  const rule = parseLimitRule(text);
  if (rule === undefined) throw new Error(`bad default limit ${text}`);
  return { rule: rule === 'off' ? undefined : rule, explicit: false };
}

/** A duration in plain words, e.g. 600000 → "10 minutes", 3600000 → "an hour". */
export function describeDuration(ms: number): string {
  const units: Array<[number, string, string]> = [
    [UNIT_MS.d, 'day', 'a day'],
    [UNIT_MS.h, 'hour', 'an hour'],
    [UNIT_MS.m, 'minute', 'a minute'],
    [UNIT_MS.s, 'second', 'a second'],
  ];
  for (const [size, name, one] of units) {
    if (ms >= size && ms % size === 0) return ms === size ? one : `${ms / size} ${name}s`;
  }
  return `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

/** A wait, rounded up, e.g. 200000 → "4 minutes", 30500 → "31 seconds", 5400000 → "2 hours". */
export function describeWait(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const up = (unit: number) => Math.max(1, Math.ceil(ms / unit));
  if (up(UNIT_MS.s) < 60) return plural(up(UNIT_MS.s), 'second');
  if (up(UNIT_MS.m) < 60) return plural(up(UNIT_MS.m), 'minute');
  if (up(UNIT_MS.h) < 48) return plural(up(UNIT_MS.h), 'hour');
  return plural(up(UNIT_MS.d), 'day');
}
