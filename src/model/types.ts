/**
 * The one interface every model backend implements (openai-compatible, local GGUF, fake).
 * A backend maps a provider-neutral request to its provider and the provider's stream back to
 * a small union of parts. It never sees a platform.
 */
import { english, type Localized, type Vars } from '../i18n/index.js';

export type ChatRole = 'system' | 'user' | 'assistant';

/** A picture shown to a model that can see (its type already checked by its bytes). */
export interface ImageInput {
  /** The file's name, for the log and the stored turn's note. */
  name: string;
  /** image/png, image/jpeg, image/gif or image/webp. */
  mime: string;
  data: Uint8Array;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Display name of the speaker, for multi-player channels (user messages only). */
  name?: string;
  /** Pictures with a user message, for a backend that sees images (`seesImages`); the others ignore them. */
  images?: readonly ImageInput[];
}

export interface ModelRequest {
  messages: ChatMessage[];
  temperature?: number;
  /** Upper bound on generated tokens. */
  maxOutputTokens?: number;
  /** Extra stop strings. */
  stop?: string[];
  /** Cancels the request; the stream then ends with a ModelError of kind 'aborted'. */
  signal?: AbortSignal;
  /** Overall deadline in ms for this request (default: the backend's own). */
  timeoutMs?: number;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'other';

export type ModelPart = { type: 'text'; text: string } | { type: 'finish'; reason: FinishReason; usage: Usage };

export type ModelErrorKind =
  | 'auth' // bad or missing key (401/403)
  | 'not_found' // unknown model (404)
  | 'rate_limit' // 429 after retries
  | 'server' // 5xx after retries
  | 'connection' // could not connect / connection dropped
  | 'timeout'
  | 'aborted'
  | 'bad_request'
  | 'unavailable' // model missing locally, cannot be downloaded, ...
  | 'interrupted' // the stream broke after text had started
  | 'unknown';

/**
 * Typed error from a backend. `message` is one clear sentence fit to show a user (never a stack
 * trace, never a secret, never a host or a path); `cause` keeps the original and `detail` what
 * only the operator should read (the server's address, the model file), both for the log.
 */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly detail?: string;
  /** The sentence by key (src/i18n), shown in the speaker's language; `message` is the English one (the log's). */
  readonly text?: Localized;
  constructor(kind: ModelErrorKind, message: string, opts: ModelErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ModelError';
    this.kind = kind;
    this.retryable = opts.retryable ?? false;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.detail !== undefined) this.detail = opts.detail;
    if (opts.text !== undefined) this.text = opts.text;
  }

  /** A model error by key: English in `message`, the speaker's language when it is shown. */
  static of(kind: ModelErrorKind, key: string, vars?: Vars, opts: Omit<ModelErrorOptions, 'text'> = {}): ModelError {
    const text: Localized = vars ? { key, vars } : { key };
    return new ModelError(kind, english(key, vars), { ...opts, text });
  }
}

export interface ModelErrorOptions {
  retryable?: boolean;
  status?: number;
  cause?: unknown;
  detail?: string;
  text?: Localized;
}

export interface ModelBackend {
  /** e.g. "openai:gpt-4o-mini", "local:/models/x.gguf", "fake". */
  readonly id: string;
  /** Context window in tokens, used for the context budget. */
  readonly contextTokens: number;
  /** Whether it takes the images of a user message (MUSE_VISION_MODELS); unset: it ignores them. */
  readonly seesImages?: boolean;
  /**
   * Streams text deltas, then exactly one finish part. Failures are thrown from the iterator as
   * ModelError (never any other error type).
   */
  stream(request: ModelRequest): AsyncIterable<ModelPart>;
  /** Counts tokens if the backend can; otherwise undefined and the engine estimates. */
  countTokens?(text: string): number;
  /** Prepares the backend (download/load a model). Optional; stream() must prepare lazily too. */
  prepare?(): Promise<void>;
  close?(): Promise<void>;
}

/** Collects a whole stream into text (used for summaries, repairs, grading). */
export async function generateText(backend: ModelBackend, request: ModelRequest): Promise<{ text: string; usage: Usage }> {
  let text = '';
  let usage: Usage = {};
  for await (const part of backend.stream(request)) {
    if (part.type === 'text') text += part.text;
    else usage = part.usage;
  }
  return { text, usage };
}
