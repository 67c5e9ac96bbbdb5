import { isApiError } from './openai-errors.js';

/**
 * How long to wait before retrying a failed request: the server's retry-after-ms / retry-after
 * (seconds or an HTTP date) when it sent one, capped; else exponential backoff with ±25% jitter.
 */

const MAX_RETRY_AFTER_MS = 30_000;
const MAX_BACKOFF_MS = 8_000;

export function retryDelayMs(err: unknown, attempt: number, baseMs: number, now: number = Date.now()): number {
  const headers = isApiError(err) ? err.headers : undefined;
  const fromHeader = headers ? retryAfterMs(headers, now) : undefined;
  if (fromHeader !== undefined) return Math.min(fromHeader, MAX_RETRY_AFTER_MS);
  const backoff = Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.round(backoff * (0.75 + Math.random() * 0.5));
}

export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (Number.isFinite(Number(after))) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
