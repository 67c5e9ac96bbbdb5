/**
 * Fair use, as the engine sees it: one guard asked where a command's model call starts. The
 * engine knows no limiter, budget or moderator; src/fair-use.ts builds this guard from the
 * configuration (rate limits, token budgets, moderation, PII redaction) and `openGuard` lets
 * everything through (tests, benches).
 *
 *   admit        once per command run, before its first model call (a refused run makes none)
 *   redact       user text, before it becomes a turn (so the model and the store see the same)
 *   checkInput   the asking turn's text, before the model call
 *   holds        whether a reply is held until checked (all-ages with moderation on)
 *   checkOutput  a finished reply, before it is shown (held) or saved
 *   spent        the tokens of one model call (replies, drafts, summaries); the checks of
 *                MUSE_MODERATION=model are counted by the guard itself, against the same tenant
 */
import type { Localized } from '../i18n/index.js';

export type Rating = 'all-ages' | 'mature';

/** Who acts, where: the user id qualified by platform, the tenant (tenantOf), the conversation's rating. */
export interface GuardWho {
  /** e.g. 'discord:123' */
  user: string;
  /** tenantOf(ref, speaker): the server or workspace, in a DM the user. */
  tenant: string;
  platform: string;
  rating: Rating;
  /** The conversation, for the log only. */
  conversation: string;
  signal?: AbortSignal | undefined;
}

/** What /usage shows. */
/** A rate limit: `points` requests per `durationMs`. */
export interface UsageLimit {
  points: number;
  durationMs: number;
}

export interface UsageReport {
  day: string;
  userTokens: number;
  tenantTokens: number;
  /** The limits as data (the usage feature words them): e.g. 20 per 600000 ms, or undefined when off. */
  userLimit?: UsageLimit | undefined;
  tenantLimit?: UsageLimit | undefined;
  budgetTokens?: number | undefined;
}

export interface TurnGuard {
  /** Rate limits and the tenant's budget: a private sentence (by key) when refused (nothing was spent). */
  admit(who: GuardWho): Promise<Localized | undefined>;
  redact(text: string, who: Pick<GuardWho, 'conversation'>): string;
  /** A sentence (by key) naming the category when the input is blocked. */
  checkInput(text: string, who: GuardWho): Promise<Localized | undefined>;
  holds(who: GuardWho): boolean;
  /** A sentence (by key) replacing the reply when it is blocked. */
  checkOutput(text: string, who: GuardWho): Promise<Localized | undefined>;
  spent(who: Pick<GuardWho, 'user' | 'tenant'>, tokens: number): void;
  usage(who: Pick<GuardWho, 'user' | 'tenant' | 'platform'>): Promise<UsageReport>;
}

/** Lets everything through and counts nothing. */
export const openGuard: TurnGuard = {
  admit: () => Promise.resolve(undefined),
  redact: (text) => text,
  checkInput: () => Promise.resolve(undefined),
  holds: () => false,
  checkOutput: () => Promise.resolve(undefined),
  spent() {},
  usage: () => Promise.resolve({ day: new Date().toISOString().slice(0, 10), userTokens: 0, tenantTokens: 0 }),
};
