/**
 * Daily token budgets (MUSE_BUDGET_TOKENS_DAY): tokens (input plus output, summaries
 * included) counted per workspace and per user in that workspace, per UTC day, in the store
 * Muse already uses. Only the workspace has a limit; the user's count is for /usage.
 *
 *   const budget = await createTokenBudget({ backend, limit: config.MUSE_BUDGET_TOKENS_DAY, hooks, logger });
 *   if (await budget.exceeded(workspace)) return reply(budgetSentence(budget.limit!));   // before the model call
 *   ... after the finish part: await budget.add({ workspace, user, tokens: usage.inputTokens + usage.outputTokens });
 *   const { workspaceTokens, userTokens, day } = await budget.usage({ workspace, user });   // for /usage
 *
 * add() and exceeded() never throw: a failing store is logged, add() loses that count and
 * exceeded() says false (the rate limits still hold). usage() throws the store's error, for the
 * caller's own sentence. The clock is injectable (`now`), so tests can cross midnight.
 */
import { reportDecision, type DecisionHooks } from '../safety/decisions.js';
import type { StoreBackend } from './backend.js';
import { budgetStore, type BudgetStore } from './budget-stores.js';
import { english, render, type Localized } from '../i18n/index.js';
import { tenantText, waitText, type TenantWord } from './rule.js';

const DAY_MS = 86_400_000;
/** Counts are kept for the day and two more, then swept or expired. */
const KEEP_MS = 2 * DAY_MS;

export interface TokenBudgetOptions {
  backend: StoreBackend;
  /** Tokens per workspace per UTC day; undefined: no limit (still counted). */
  limit?: number | undefined;
  /** Key prefix, as the store's namespace. Default 'muse'. */
  prefix?: string;
  now?: () => number;
  hooks?: DecisionHooks;
  logger?: { warn(obj: object, msg?: string): void };
}

export interface Usage {
  workspaceTokens: number;
  userTokens: number;
  /** The UTC day counted, YYYY-MM-DD. */
  day: string;
}

export interface TokenBudget {
  readonly limit: number | undefined;
  add(entry: { workspace: string; user: string; tokens: number }): Promise<void>;
  usage(who: { workspace: string; user: string }): Promise<Usage>;
  /** True when the workspace has used its budget today (reported as a 'budget' decision). */
  exceeded(workspace: string): Promise<boolean>;
}

export async function createTokenBudget(options: TokenBudgetOptions): Promise<TokenBudget> {
  const now = options.now ?? Date.now;
  const store: BudgetStore = await budgetStore(options.backend, options.prefix ?? 'muse');
  const limit = options.limit;
  let sweptFor: string | undefined;
  const warn = (err: unknown, msg: string) => options.logger?.warn({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, msg);

  return {
    limit,
    async add({ workspace, user, tokens }) {
      const n = Math.round(tokens);
      if (!Number.isFinite(n) || n <= 0) return;
      const at = now();
      const day = utcDay(at);
      try {
        await store.add(day, workspace, userId(user), n, startOfDay(at) + DAY_MS + KEEP_MS - at);
        if (sweptFor !== day) {
          sweptFor = day;
          await store.sweep(utcDay(at - KEEP_MS));
        }
      } catch (err) {
        warn(err, 'token budget store failed; this usage is not counted');
      }
    },
    async usage({ workspace, user }) {
      const day = utcDay(now());
      return { ...(await store.get(day, workspace, userId(user))), day };
    },
    async exceeded(workspace) {
      if (limit === undefined) return false;
      try {
        const { workspaceTokens } = await store.get(utcDay(now()), workspace, '');
        if (workspaceTokens < limit) return false;
      } catch (err) {
        warn(err, 'token budget store failed; not enforcing the budget for this turn');
        return false;
      }
      reportDecision(options.hooks, 'budget', {});
      return true;
    },
  };
}

/** The private sentence for a workspace past its budget, with when it resets (English; see budgetText). */
export function budgetSentence(limit: number, opts: { now?: number; workspaceWord?: TenantWord } = {}): string {
  return render(english, budgetText(limit, opts));
}

/** The budget refusal by key, for the speaker's language. */
export function budgetText(limit: number, opts: { now?: number; workspaceWord?: TenantWord } = {}): Localized {
  const at = opts.now ?? Date.now();
  const wait = waitText(startOfDay(at) + DAY_MS - at);
  return { key: 'fairUse.budget', vars: { tenant: tenantText(opts.workspaceWord), limit: limit.toLocaleString('en-US'), wait } };
}

/** Users are never '' (the workspace's own row). */
const userId = (user: string) => `u:${user}`;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
