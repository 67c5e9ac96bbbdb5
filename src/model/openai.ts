import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ModelError, type ChatMessage, type FinishReason, type ModelBackend, type ModelPart, type ModelRequest, type Usage } from './types.js';

/**
 * The `openai:<model>` backend: streaming Chat Completions through the official SDK, against
 * api.openai.com or any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio,
 * OpenRouter) given a baseURL.
 *
 * Retries are ours, not the SDK's (it gets maxRetries 0): 429 (honouring retry-after /
 * retry-after-ms, capped), 408, 5xx and connection failures are retried with exponential backoff
 * and jitter, but never once any text has been yielded — a stream that breaks after that ends
 * with ModelError 'interrupted'. Every failure leaves the iterator as a ModelError whose message
 * is one sentence fit for a user; the original error is its `cause`. The key is never logged.
 */

export interface OpenAIBackendOptions {
  model: string;
  /** Not needed when baseURL points at a local server (a placeholder is sent then). */
  apiKey?: string;
  /** e.g. http://localhost:11434/v1 (Ollama). Default: https://api.openai.com/v1. */
  baseURL?: string;
  /** Context window in tokens (default 8192). */
  contextTokens?: number;
  /** Default overall deadline per request in ms (default 120000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Backoff base in ms (default 500): delay = base * 2^attempt, with ±25% jitter. */
  retryBaseMs?: number;
  logger?: { warn(obj: object, msg?: string): void; debug?(obj: object, msg?: string): void };
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const MAX_RETRY_AFTER_MS = 30_000;
const MAX_BACKOFF_MS = 8_000;
const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

export function createOpenAIBackend(opts: OpenAIBackendOptions): ModelBackend {
  const baseURL = opts.baseURL?.trim() || DEFAULT_BASE_URL;
  const host = hostOf(baseURL);
  // A local compatible server needs no key, but the SDK insists on one.
  const apiKey = opts.apiKey?.trim() || (opts.baseURL?.trim() ? 'not-needed' : undefined);
  const defaultTimeoutMs = opts.timeoutMs ?? 120_000;
  const maxRetries = Math.max(0, opts.maxRetries ?? 3);
  const retryBaseMs = Math.max(0, opts.retryBaseMs ?? 500);
  const logger = opts.logger;
  const redact = (s: string): string => redactKey(s, opts.apiKey);
  let client: OpenAI | undefined;

  const getClient = (key: string): OpenAI =>
    (client ??= new OpenAI({ apiKey: key, baseURL, maxRetries: 0, timeout: defaultTimeoutMs, logLevel: 'off' }));

  const classify = (err: unknown): ModelError => classifyError(err, { model: opts.model, host });

  async function* stream(request: ModelRequest): AsyncGenerator<ModelPart> {
    if (!apiKey) {
      throw new ModelError('auth', 'Muse has no API key for the model server; set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server).');
    }
    const sdk = getClient(apiKey);
    const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
    const deadline = new Deadline(timeoutMs, request.signal);
    const body = toBody(opts.model, request);
    try {
      for (let attempt = 0; ; attempt++) {
        deadline.throwIfDone();
        let yielded = false;
        try {
          logger?.debug?.({ model: opts.model, host, attempt, messages: request.messages.length }, 'model request');
          const chunks = await sdk.chat.completions.create(body, {
            signal: deadline.signal,
            maxRetries: 0,
            // Ours fires first; the SDK's is only a backstop.
            timeout: deadline.remainingMs() + 1_000,
          });
          let reason: FinishReason | undefined;
          const usage: Usage = {};
          for await (const chunk of chunks) {
            const u = (chunk as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null }).usage;
            if (u) {
              if (typeof u.prompt_tokens === 'number') usage.inputTokens = u.prompt_tokens;
              if (typeof u.completion_tokens === 'number') usage.outputTokens = u.completion_tokens;
            }
            const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
            if (choice?.finish_reason) reason = mapFinish(choice.finish_reason);
            const text = choice?.delta?.content;
            if (typeof text === 'string' && text.length > 0) {
              yielded = true;
              yield { type: 'text', text };
            }
          }
          // The SDK ends an aborted stream silently: find out whether that is what happened.
          deadline.throwIfDone();
          yield { type: 'finish', reason: reason ?? 'stop', usage };
          return;
        } catch (err) {
          const error = deadline.error(err) ?? (err instanceof ModelError ? err : classify(err));
          if (yielded && error.kind !== 'aborted' && error.kind !== 'timeout') {
            logger?.warn({ model: opts.model, host, err: describe(err, redact) }, 'model stream broke after text started');
            throw new ModelError('interrupted', "The model's reply was cut off before it finished.", { retryable: true, cause: err });
          }
          const retriable = error.retryable && error.kind !== 'timeout' && error.kind !== 'aborted';
          if (!retriable || attempt >= maxRetries) {
            logger?.warn({ model: opts.model, host, kind: error.kind, status: error.status, attempts: attempt + 1, err: describe(err, redact) }, 'model request failed');
            throw error;
          }
          const delayMs = retryDelayMs(err, attempt, retryBaseMs);
          if (delayMs >= deadline.remainingMs()) {
            logger?.warn({ model: opts.model, host, kind: error.kind, status: error.status, delayMs, err: describe(err, redact) }, 'model request failed; retry would pass the deadline');
            throw error;
          }
          logger?.warn({ model: opts.model, host, kind: error.kind, status: error.status, attempt: attempt + 1, delayMs, err: describe(err, redact) }, 'model request failed; retrying');
          await deadline.sleep(delayMs);
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  return {
    id: `openai:${opts.model}`,
    contextTokens: opts.contextTokens ?? 8192,
    stream,
    async close() {
      client = undefined;
    },
  };
}

function toBody(model: string, request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages.map(toMessage),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  // max_tokens, not max_completion_tokens: most compatible servers only know the former.
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) body.stop = request.stop;
  return body;
}

function toMessage(m: ChatMessage): ChatCompletionMessageParam {
  const name = m.name !== undefined && NAME_RE.test(m.name) ? { name: m.name } : {};
  return { role: m.role, content: m.content, ...name };
}

function mapFinish(reason: string): FinishReason {
  if (reason === 'stop' || reason === 'eos' || reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  if (reason === 'length' || reason === 'max_tokens') return 'length';
  return 'other';
}

/** Maps an SDK / fetch error to a ModelError; retryable marks what our retry loop may retry. */
function classifyError(err: unknown, ctx: { model: string; host: string }): ModelError {
  if (err instanceof APIUserAbortError) return new ModelError('aborted', 'The reply was cancelled.', { cause: err });
  if (err instanceof APIConnectionTimeoutError) return new ModelError('timeout', 'The model server took too long to answer.', { retryable: true, cause: err });
  if (err instanceof APIConnectionError) return connectionError(ctx.host, err);
  if (err instanceof APIError) {
    const status = err.status ?? statusFromBody(err.error);
    const code = typeof err.code === 'string' ? err.code : undefined;
    const o = (retryable: boolean) => ({ retryable, cause: err, ...(status !== undefined ? { status } : {}) });
    if (status === 401 || status === 403) return new ModelError('auth', "The model server rejected Muse's API key; check OPENAI_API_KEY.", o(false));
    if (status === 404 || code === 'model_not_found') {
      return new ModelError('not_found', `The model '${ctx.model}' is not known to the model server; check MUSE_MODEL.`, o(false));
    }
    if (status === 429) return new ModelError('rate_limit', 'The model server is rate-limiting Muse; try again in a moment.', o(true));
    if (status === 408) return new ModelError('timeout', 'The model server took too long to answer.', o(true));
    if (code === 'context_length_exceeded') return new ModelError('bad_request', "The conversation is too long for the model's context window.", o(false));
    if (status !== undefined && status >= 400 && status < 500) return new ModelError('bad_request', 'The model server refused the request as invalid.', o(false));
    // 5xx, or an error event inside the stream with no status.
    return new ModelError('server', 'The model server had an internal error; try again in a moment.', o(true));
  }
  if (err instanceof SyntaxError) return new ModelError('server', 'The model server sent a reply Muse could not read.', { cause: err });
  if (isNetworkError(err)) return connectionError(ctx.host, err);
  return new ModelError('unknown', 'Something went wrong while talking to the model server.', { cause: err });
}

function connectionError(host: string, cause: unknown): ModelError {
  return new ModelError('connection', `Muse could not reach the model server at ${host}.`, { retryable: true, cause });
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

/** retry-after-ms / retry-after (seconds or HTTP date) when present, else backoff with jitter. */
function retryDelayMs(err: unknown, attempt: number, baseMs: number): number {
  const headers = err instanceof APIError ? err.headers : undefined;
  const fromHeader = headers ? retryAfterMs(headers) : undefined;
  if (fromHeader !== undefined) return Math.min(fromHeader, MAX_RETRY_AFTER_MS);
  const backoff = Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS);
  return Math.round(backoff * (0.75 + Math.random() * 0.5));
}

function retryAfterMs(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (Number.isFinite(Number(after))) return Math.max(0, Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** One overall deadline plus the caller's signal, combined into the signal the SDK sees. */
class Deadline {
  private readonly controller = new AbortController();
  private reason: 'timeout' | 'aborted' | undefined;
  private readonly end: number;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.fire('aborted');

  constructor(timeoutMs: number, private readonly outer?: AbortSignal) {
    this.end = Date.now() + timeoutMs;
    this.timer = setTimeout(() => this.fire('timeout'), timeoutMs);
    this.timer.unref();
    if (outer?.aborted) this.fire('aborted');
    else outer?.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.end - Date.now());
  }

  /** The ModelError for a fired deadline or abort, else undefined. */
  error(cause?: unknown): ModelError | undefined {
    const o = cause === undefined ? {} : { cause };
    if (this.reason === 'aborted') return new ModelError('aborted', 'The reply was cancelled.', o);
    if (this.reason === 'timeout') {
      return new ModelError('timeout', 'The model server took too long to answer.', { retryable: true, ...o });
    }
    return undefined;
  }

  throwIfDone(): void {
    const e = this.error();
    if (e) throw e;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.reason) return reject(this.error());
      const done = () => {
        clearTimeout(t);
        reject(this.error());
      };
      const t = setTimeout(() => {
        this.controller.signal.removeEventListener('abort', done);
        resolve();
      }, ms);
      this.controller.signal.addEventListener('abort', done, { once: true });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
  }

  private fire(reason: 'timeout' | 'aborted'): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}

function redactKey(text: string, key: string | undefined): string {
  let out = key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
  out = out.replace(/\b(sk|key)-[A-Za-z0-9_*\-]{4,}/g, '$1-[redacted]');
  return out;
}

/** A log-safe summary of an error (no stack, no key). */
function describe(err: unknown, redact: (s: string) => string): object {
  if (err instanceof APIError) return { name: err.constructor.name, status: err.status, code: err.code, message: redact(err.message) };
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? redact(err.cause.message) : undefined;
    return { name: err.name, message: redact(err.message), ...(cause ? { cause } : {}) };
  }
  return { message: redact(String(err)) };
}
