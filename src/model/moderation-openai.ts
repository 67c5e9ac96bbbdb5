import OpenAI from 'openai';
import { CLEAN, ModerationUnavailableError, normalizeCategory, type Category, type CheckOptions, type Moderator, type Verdict } from '../safety/moderation.js';
import { Deadline } from '../util/deadline.js';
import { classifyError, deadlineError, describeError, hostOf, redactKey } from './openai-errors.js';
import { retryDelayMs } from './openai-retry.js';

/**
 * MUSE_MODERATION=openai: the moderation endpoint (`omni-moderation-latest`) through the openai
 * SDK, at OPENAI_BASE_URL when that is set. One deadline per check (default 10 s); the SDK does
 * not retry (maxRetries 0): we retry a 429, a 5xx or a dropped connection at most `maxRetries`
 * times (default 1), and only while the deadline leaves room. Every failure leaves as a
 * ModerationUnavailableError whose message is for the log (host, status; never the key).
 */

export interface OpenAIModeratorOptions {
  apiKey?: string;
  /** e.g. http://127.0.0.1:PORT/v1. Default: https://api.openai.com/v1. */
  baseURL?: string;
  /** Default 'omni-moderation-latest'. */
  model?: string;
  /** Deadline for one check, retries included. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 1. */
  maxRetries?: number;
  /** Backoff base in ms (default 200). */
  retryBaseMs?: number;
  logger?: { warn(obj: object, msg?: string): void };
}

export const OPENAI_MODERATION_MODEL = 'omni-moderation-latest';

export function createOpenAIModerator(opts: OpenAIModeratorOptions = {}): Moderator {
  const baseURL = opts.baseURL?.trim() || 'https://api.openai.com/v1';
  const host = hostOf(baseURL);
  const apiKey = opts.apiKey?.trim() || (opts.baseURL?.trim() ? 'not-needed' : undefined);
  const model = opts.model ?? OPENAI_MODERATION_MODEL;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxRetries = Math.max(0, opts.maxRetries ?? 1);
  const retryBaseMs = Math.max(0, opts.retryBaseMs ?? 200);
  const redact = (s: string) => redactKey(s, opts.apiKey);
  const client = apiKey ? new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs, logLevel: 'off' }) : undefined;

  async function check(text: string, options: CheckOptions = {}): Promise<Verdict> {
    if (text.trim() === '') return { ...CLEAN, categories: [] };
    if (!client) throw new ModerationUnavailableError('failed', 'No API key for the OpenAI moderation endpoint (OPENAI_API_KEY).');
    const deadline = new Deadline(timeoutMs, options.signal);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await client.moderations.create(
            { model, input: text },
            { signal: deadline.signal, maxRetries: 0, timeout: deadline.remainingMs() + 1_000 },
          );
          return toVerdict(response);
        } catch (err) {
          if (err instanceof ModerationUnavailableError) throw err;
          const ended = deadlineError(deadline.reason, err);
          if (ended)
            throw new ModerationUnavailableError(
              ended.kind === 'aborted' ? 'aborted' : 'timeout',
              `The moderation check at ${host} ${ended.kind === 'aborted' ? 'was cancelled' : 'took too long'}.`,
              { cause: err },
            );
          const error = classifyError(err, { model, host });
          const delayMs = retryDelayMs(err, attempt, retryBaseMs);
          const log = { host, model, kind: error.kind, status: error.status, attempt: attempt + 1, err: describeError(err, redact) };
          if (!error.retryable || attempt >= maxRetries || delayMs >= deadline.remainingMs()) {
            opts.logger?.warn(log, 'moderation check failed');
            throw new ModerationUnavailableError('failed', `The moderation check at ${host} failed (${error.kind}${error.status ? ` ${error.status}` : ''}).`, {
              cause: err,
            });
          }
          opts.logger?.warn({ ...log, delayMs }, 'moderation check failed; retrying');
          await deadline.sleep(delayMs).catch(() => undefined);
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'openai', check };
}

/** The endpoint's answer to a Verdict; anything else is 'unreadable'. */
export function toVerdict(response: unknown): Verdict {
  const first = (response as { results?: unknown } | null)?.results;
  const result = Array.isArray(first) ? (first[0] as Record<string, unknown> | undefined) : undefined;
  const flags = result?.categories;
  if (!result || typeof flags !== 'object' || flags === null) {
    throw new ModerationUnavailableError('unreadable', 'The moderation endpoint sent an answer Muse could not read.');
  }
  const categories = new Set<Category>();
  for (const [name, on] of Object.entries(flags)) {
    const category = normalizeCategory(name);
    if (category && on === true) categories.add(category);
  }
  const scores: Partial<Record<Category, number>> = {};
  const rawScores = result.category_scores;
  if (typeof rawScores === 'object' && rawScores !== null) {
    for (const [name, score] of Object.entries(rawScores)) {
      const category = normalizeCategory(name);
      if (category && typeof score === 'number' && Number.isFinite(score)) scores[category] = score;
    }
  }
  return { flagged: result.flagged === true || categories.size > 0, categories: [...categories], scores };
}
