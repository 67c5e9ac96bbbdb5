import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { DeadlineReason } from '../util/deadline.js';
import { ModelError } from './types.js';

/**
 * Error classification for the openai backend: SDK / fetch errors to a ModelError whose message
 * is one sentence fit for a user, `retryable` marking what the retry loop may retry; and
 * log-safe descriptions (no stack, no key).
 */

/** An error the SDK made from an HTTP answer, typed with its defaults (`instanceof` alone narrows its type parameters to any). */
export function isApiError(err: unknown): err is APIError {
  return err instanceof APIError;
}

/** The ModelError for an ended deadline (the caller's cancel or the time limit), else undefined. */
export function deadlineError(reason: DeadlineReason | undefined, cause?: unknown): ModelError | undefined {
  const o = cause === undefined ? {} : { cause };
  if (reason === 'aborted') return ModelError.of('aborted', 'engine.modelCancelled', undefined, o);
  if (reason === 'timeout') return ModelError.of('timeout', 'modelError.serverSlow', undefined, { retryable: true, ...o });
  return undefined;
}

export function classifyError(err: unknown, ctx: { model: string; host: string }): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof APIUserAbortError) return ModelError.of('aborted', 'engine.modelCancelled', undefined, { cause: err });
  if (err instanceof APIConnectionTimeoutError) return ModelError.of('timeout', 'modelError.serverSlow', undefined, { retryable: true, cause: err });
  if (err instanceof APIConnectionError) return connectionError(ctx.host, err);
  if (isApiError(err)) return classifyStatus(err, ctx.model);
  if (err instanceof SyntaxError) return ModelError.of('server', 'modelError.unreadable', undefined, { cause: err });
  if (isNetworkError(err)) return connectionError(ctx.host, err);
  return ModelError.of('unknown', 'modelError.unknown', undefined, { cause: err });
}

function classifyStatus(err: APIError, model: string): ModelError {
  const status = err.status ?? statusFromBody(err.error);
  const code = typeof err.code === 'string' ? err.code : undefined;
  const o = (retryable: boolean) => ({ retryable, cause: err, ...(status !== undefined ? { status } : {}) });
  if (status === 401 || status === 403) return ModelError.of('auth', 'modelError.auth', undefined, o(false));
  if (status === 404 || code === 'model_not_found') {
    return ModelError.of('not_found', 'modelError.notFound', { model }, o(false));
  }
  if (status === 429) return ModelError.of('rate_limit', 'modelError.rateLimit', undefined, o(true));
  if (status === 408) return ModelError.of('timeout', 'modelError.serverSlow', undefined, o(true));
  if (code === 'context_length_exceeded') return ModelError.of('bad_request', 'modelError.contextLength', undefined, o(false));
  if (status !== undefined && status >= 400 && status < 500) return ModelError.of('bad_request', 'modelError.badRequest', undefined, o(false));
  // 5xx, or an error event inside the stream with no status.
  return ModelError.of('server', 'modelError.server', undefined, o(true));
}

function connectionError(host: string, cause: unknown): ModelError {
  return ModelError.of('connection', 'modelError.connection', undefined, {
    retryable: true,
    cause,
    detail: `model server ${host}`,
  });
}

/** Body-read failures from undici (socket closed mid-stream) are plain TypeErrors. */
function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('UND_ERR') || /^E(CONN|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND)/.test(code))) return true;
    if (e.name === 'TypeError' && (e.message === 'terminated' || e.message === 'fetch failed')) return true;
  }
  return false;
}

function statusFromBody(body: unknown): number | undefined {
  const code = (body as { code?: unknown } | undefined)?.code;
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : undefined;
  return n !== undefined && n >= 400 && n < 600 ? n : undefined;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}

export function redactKey(text: string, key: string | undefined): string {
  let out = key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
  out = out.replace(/\b(sk|key)-[A-Za-z0-9_*-]{4,}/g, '$1-[redacted]');
  return out;
}

/** A log-safe summary of an error (no stack, no key). */
export function describeError(err: unknown, redact: (s: string) => string): object {
  if (isApiError(err)) return { name: err.constructor.name, status: err.status, code: err.code, message: redact(err.message) };
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? redact(err.cause.message) : undefined;
    return { name: err.name, message: redact(err.message), ...(cause ? { cause } : {}) };
  }
  return { message: redact(String(err)) };
}
