import type { Config } from './config/config.js';
import type { GuardWho, TurnGuard, UsageLimit } from './engine/guard.js';
import type { Localized } from './i18n/index.js';
import { budgetText, createTokenBudget } from './limits/budget.js';
import type { StoreBackend } from './limits/backend.js';
import { createRateLimits, rateLimitText } from './limits/rate-limits.js';
import type { LimitSetting, TenantWord } from './limits/rule.js';
import { openCoordination } from './memory/coordination.js';
import type { ConversationStore } from './memory/types.js';
import { chooseModeration, createModerator } from './model/moderation-choose.js';
import type { ModelBackend } from './model/types.js';
import { decisionHooks, noopObserver, type Observer } from './ops/observer.js';
import type { Moderator } from './safety/moderation.js';
import { blockedText, moderate, type Stage } from './safety/policy.js';
import { redactPii } from './safety/pii.js';

type FairUseConfig = Pick<
  Config,
  | 'MUSE_LIMIT_USER'
  | 'MUSE_LIMIT_WORKSPACE'
  | 'MUSE_BUDGET_TOKENS_DAY'
  | 'MUSE_MODERATION'
  | 'MUSE_MODERATION_FAIL'
  | 'MUSE_REDACT_PII'
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
>;

export interface FairUseLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface FairUseOptions {
  /** The store opened by openStore: limits and budgets count in it (its coordination's client). */
  store: ConversationStore;
  /** The model backend (for MUSE_MODERATION=model). */
  backend: () => Promise<ModelBackend>;
  log: FairUseLogger;
  /** Refusals and flags are counted here (observer.decision). */
  observer?: Observer;
  /** The budget's clock (the UTC day); default Date.now. */
  now?: () => number;
  /** Instead of the one MUSE_MODERATION names (tests). */
  moderator?: Moderator;
}

/** The word for a tenant in a sentence. */
const tenantWord = (platform: string): TenantWord => (platform === 'discord' ? 'server' : 'workspace');

/**
 * The engine's guard from the configuration (src/engine/guard.ts): rate limits and the daily
 * token budget counted in the store (src/limits), moderation chosen by chooseModeration (logged
 * at start), PII redaction. Every refusal and flag is logged with its reason and counted by the
 * observer (decisions).
 */
export async function createFairUse(config: FairUseConfig, opts: FairUseOptions): Promise<TurnGuard> {
  const { log } = opts;
  const hooks = decisionHooks(opts.observer ?? noopObserver);
  const backend = storeBackend(opts.store);
  const limits = await createRateLimits({ user: config.MUSE_LIMIT_USER, workspace: config.MUSE_LIMIT_WORKSPACE, backend, hooks, logger: log });
  const now = opts.now ?? Date.now;
  const budget = await createTokenBudget({ backend, limit: config.MUSE_BUDGET_TOKENS_DAY, now, hooks, logger: log });
  const choice = chooseModeration(config);
  const moderator = opts.moderator ?? createModerator(config, { backend: opts.backend, logger: log });
  log.info({ moderation: moderator.kind }, `moderation: ${moderator.kind} (${opts.moderator ? 'given' : choice.reason})`);
  const redacting = config.MUSE_REDACT_PII === 'on';
  const fail = config.MUSE_MODERATION_FAIL;

  async function check(text: string, who: GuardWho, stage: Stage): Promise<Localized | undefined> {
    if (moderator.kind === 'off' || !text.trim()) return undefined;
    // MUSE_MODERATION=model checks on the chat model: the tenant's budget counts those tokens too.
    let tokens = 0;
    const decision = await moderate(moderator, text, {
      rating: who.rating,
      stage,
      hooks,
      spent: (n) => (tokens += n),
      ...(fail ? { fail } : {}),
      ...(who.signal ? { signal: who.signal } : {}),
    }).finally(() => (tokens > 0 ? budget.add({ workspace: who.tenant, user: who.user, tokens }) : undefined));
    const about = { conversation: who.conversation, user: who.user, stage, rating: who.rating, category: decision.category };
    if (decision.reason === 'unavailable') {
      const err = decision.error ? { kind: decision.error.kind, message: decision.error.message } : undefined;
      log.warn({ ...about, err }, `moderation failed; failing ${decision.action === 'block' ? 'closed (blocked)' : 'open (allowed)'}`);
    } else if (decision.reason === 'flagged') {
      log.info(about, `moderation flagged the ${stage}; ${decision.action === 'block' ? 'blocked' : 'allowed at this rating'}`);
    }
    return decision.action === 'block' ? blockedText(decision) : undefined;
  }

  return {
    async admit(who) {
      if (await budget.exceeded(who.tenant)) {
        log.info({ conversation: who.conversation, user: who.user, tenant: who.tenant, limit: budget.limit }, 'refused: the daily token budget is used');
        return budgetText(budget.limit!, { now: now(), workspaceWord: tenantWord(who.platform) });
      }
      const taken = await limits.take({ user: who.user, workspace: who.tenant, exempt: who.platform === 'terminal' });
      if (taken.ok) return undefined;
      log.info(
        { conversation: who.conversation, user: who.user, tenant: who.tenant, scope: taken.scope, retryAfterMs: taken.retryAfterMs },
        'refused: rate limited',
      );
      return rateLimitText(taken, { workspaceWord: tenantWord(who.platform) });
    },
    redact(text, where) {
      if (!redacting) return text;
      const redacted = redactPii(text);
      if (redacted.kinds.length) log.info({ conversation: where.conversation, kinds: redacted.kinds }, 'redacted personal data from user text');
      return redacted.text;
    },
    checkInput: (text, who) => check(text, who, 'input'),
    holds: (who) => moderator.kind !== 'off' && who.rating === 'all-ages',
    checkOutput: (text, who) => check(text, who, 'output'),
    spent(who, tokens) {
      void budget.add({ workspace: who.tenant, user: who.user, tokens });
    },
    async usage(who) {
      const used = await budget.usage({ workspace: who.tenant, user: who.user });
      const exempt = who.platform === 'terminal';
      return {
        day: used.day,
        userTokens: used.userTokens,
        tenantTokens: used.workspaceTokens,
        userLimit: describeLimit(config.MUSE_LIMIT_USER, exempt),
        tenantLimit: describeLimit(config.MUSE_LIMIT_WORKSPACE, exempt),
        budgetTokens: budget.limit,
      };
    },
  };
}

/** The limit's rule (20 per 600000 ms), or undefined when off (or not set explicitly, for the terminal). */
function describeLimit(setting: LimitSetting, exempt: boolean): UsageLimit | undefined {
  if (!setting.rule || (exempt && !setting.explicit)) return undefined;
  return { points: setting.rule.points, durationMs: setting.rule.durationMs };
}

/** Where limits and budgets count: the store's own client (memory:// keeps them in process). */
function storeBackend(store: ConversationStore): StoreBackend {
  const c = openCoordination(store);
  switch (c.kind) {
    case 'memory':
      return { kind: 'memory' };
    case 'sqlite':
      return { kind: 'sqlite', db: c.db };
    case 'redis':
      return { kind: 'redis', client: c.client };
    case 'postgres':
      return { kind: 'postgres', pool: c.pool };
  }
}
