import OpenAI from 'openai';
import { Deadline } from '../util/deadline.js';
import { classifyError, deadlineError, describeError, hostOf, redactKey } from './openai-errors.js';
import { toBody } from './openai-request.js';
import { retryDelayMs } from './openai-retry.js';
import { readChunk } from './openai-stream.js';
import { ModelError, type FinishReason, type ModelBackend, type ModelPart, type ModelRequest, type Usage } from './types.js';

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
 *
 * The pieces: openai-request.ts (request mapping), openai-stream.ts (chunk mapping),
 * openai-errors.ts (classification, log-safe descriptions), openai-retry.ts (delays), and the
 * shared deadline (src/util/deadline.ts).
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
  /** The model sees images: user messages carry theirs as image parts (MUSE_VISION_MODELS). */
  seesImages?: boolean;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export function createOpenAIBackend(opts: OpenAIBackendOptions): ModelBackend {
  const baseURL = opts.baseURL?.trim() || DEFAULT_BASE_URL;
  const host = hostOf(baseURL);
  // A local compatible server needs no key, but the SDK insists on one.
  const apiKey = opts.apiKey?.trim() || (opts.baseURL?.trim() ? 'not-needed' : undefined);
  const defaultTimeoutMs = opts.timeoutMs ?? 120_000;
  const maxRetries = Math.max(0, opts.maxRetries ?? 3);
  const retryBaseMs = Math.max(0, opts.retryBaseMs ?? 500);
  const logger = opts.logger;
  const model = opts.model;
  const redact = (s: string): string => redactKey(s, opts.apiKey);
  let client: OpenAI | undefined;

  const getClient = (key: string): OpenAI => (client ??= new OpenAI({ apiKey: key, baseURL, maxRetries: 0, timeout: defaultTimeoutMs, logLevel: 'off' }));

  /** One attempt: the request and its stream, mapped to parts. */
  async function* attempt(sdk: OpenAI, request: ModelRequest, deadline: Deadline, state: { yielded: boolean }): AsyncGenerator<ModelPart> {
    const chunks = await sdk.chat.completions.create(toBody(model, request, { images: opts.seesImages === true }), {
      signal: deadline.signal,
      maxRetries: 0,
      // Ours fires first; the SDK's is only a backstop.
      timeout: deadline.remainingMs() + 1_000,
    });
    let reason: FinishReason | undefined;
    const usage: Usage = {};
    for await (const chunk of chunks) {
      const reading = readChunk(chunk);
      if (reading.usage) Object.assign(usage, reading.usage);
      if (reading.finish) reason = reading.finish;
      if (reading.text !== undefined) {
        state.yielded = true;
        yield { type: 'text', text: reading.text };
      }
    }
    // The SDK ends an aborted stream silently: find out whether that is what happened.
    throwIfEnded(deadline);
    yield { type: 'finish', reason: reason ?? 'stop', usage };
  }

  async function* stream(request: ModelRequest): AsyncGenerator<ModelPart> {
    if (!apiKey) {
      throw ModelError.of('auth', 'modelError.noKey');
    }
    const sdk = getClient(apiKey);
    const deadline = new Deadline(request.timeoutMs ?? defaultTimeoutMs, request.signal);
    try {
      for (let n = 0; ; n++) {
        throwIfEnded(deadline);
        const state = { yielded: false };
        try {
          logger?.debug?.({ model, host, attempt: n, messages: request.messages.length }, 'model request');
          yield* attempt(sdk, request, deadline, state);
          return;
        } catch (err) {
          const error = deadlineError(deadline.reason, err) ?? classifyError(err, { model, host });
          const log = { model, host, kind: error.kind, status: error.status, err: describeError(err, redact) };
          if (state.yielded && error.kind !== 'aborted' && error.kind !== 'timeout') {
            logger?.warn({ model, host, err: log.err }, 'model stream broke after text started');
            throw ModelError.of('interrupted', 'modelError.cutOff', undefined, { retryable: true, cause: err });
          }
          const retriable = error.retryable && error.kind !== 'timeout' && error.kind !== 'aborted';
          if (!retriable || n >= maxRetries) {
            logger?.warn({ ...log, attempts: n + 1 }, 'model request failed');
            throw error;
          }
          const delayMs = retryDelayMs(err, n, retryBaseMs);
          if (delayMs >= deadline.remainingMs()) {
            logger?.warn({ ...log, delayMs }, 'model request failed; retry would pass the deadline');
            throw error;
          }
          logger?.warn({ ...log, attempt: n + 1, delayMs }, 'model request failed; retrying');
          await deadline.sleep(delayMs).catch((e: unknown) => {
            throw deadlineError(deadline.reason, e) ?? e;
          });
        }
      }
    } finally {
      deadline.dispose();
    }
  }

  return {
    id: `openai:${model}`,
    contextTokens: opts.contextTokens ?? 8192,
    ...(opts.seesImages ? { seesImages: true } : {}),
    stream,
    async close() {
      client = undefined;
    },
  };
}

function throwIfEnded(deadline: Deadline): void {
  const error = deadlineError(deadline.reason);
  if (error) throw error;
}
