/**
 * A rate-limit rule as written in MUSE_LIMIT_USER / MUSE_LIMIT_WORKSPACE: `N/DURATION`, where
 * DURATION is a whole number of s, m, h or d (`20/10m`, `300/1h`; `5/h` means `5/1h`), or `off`.
 */
import { english, render, type Localized } from '../i18n/index.js';

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

/** A duration in plain words, e.g. 600000 → "10 minutes", 3600000 → "an hour" (English; see durationText). */
export function describeDuration(ms: number): string {
  return render(english, durationText(ms));
}

/** A duration as a sentence part in any language: 600000 → "10 minutes", 3600000 → "an hour". */
export function durationText(ms: number): Localized {
  if (ms === UNIT_MS.d) return { key: 'fairUse.aDay' };
  if (ms === UNIT_MS.h) return { key: 'fairUse.anHour' };
  if (ms === UNIT_MS.m) return { key: 'fairUse.aMinute' };
  if (ms === UNIT_MS.s) return { key: 'fairUse.aSecond' };
  for (const unit of [UNIT_MS.d, UNIT_MS.h, UNIT_MS.m, UNIT_MS.s]) {
    if (ms >= unit && ms % unit === 0) return count(ms / unit, unit);
  }
  return count(Math.max(1, Math.round(ms / 1000)), UNIT_MS.s);
}

/** A wait, rounded up, e.g. 200000 → "4 minutes", 30500 → "31 seconds", 5400000 → "2 hours" (English; see waitText). */
export function describeWait(ms: number): string {
  return render(english, waitText(ms));
}

/** A wait, rounded up, as a sentence part in any language. */
export function waitText(ms: number): Localized {
  const up = (unit: number) => Math.max(1, Math.ceil(ms / unit));
  if (up(UNIT_MS.s) < 60) return count(up(UNIT_MS.s), UNIT_MS.s);
  if (up(UNIT_MS.m) < 60) return count(up(UNIT_MS.m), UNIT_MS.m);
  if (up(UNIT_MS.h) < 48) return count(up(UNIT_MS.h), UNIT_MS.h);
  return count(up(UNIT_MS.d), UNIT_MS.d);
}

/** n of a unit: "1 minute", "4 minutes". */
function count(n: number, unit: number): Localized {
  const one = n === 1;
  if (unit === UNIT_MS.d) return one ? { key: 'fairUse.day' } : { key: 'fairUse.days', vars: { n } };
  if (unit === UNIT_MS.h) return one ? { key: 'fairUse.hour' } : { key: 'fairUse.hours', vars: { n } };
  if (unit === UNIT_MS.m) return one ? { key: 'fairUse.minute' } : { key: 'fairUse.minutes', vars: { n } };
  return one ? { key: 'fairUse.second' } : { key: 'fairUse.seconds', vars: { n } };
}

/** What a tenant is called on its platform: a Discord server, a Slack workspace. */
export type TenantWord = 'server' | 'workspace';

/** The tenant's word as a sentence part (default: workspace). */
export function tenantText(word: TenantWord = 'workspace'): Localized {
  return word === 'server' ? { key: 'fairUse.server' } : { key: 'fairUse.workspace' };
}
