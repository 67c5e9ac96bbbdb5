import { Deadline } from '../util/deadline.js';
import { ModelError, type FinishReason, type ModelBackend, type ModelPart, type ModelRequest } from './types.js';

/**
 * A hand-written test double: replies are scripted, calls are recorded.
 * A script step is a string (streamed in chunks), a list of parts, a ModelError to throw before
 * any text, or a function of the request (so a test can answer from what it was asked).
 *
 * It keeps the backend contract (test/model/contract.ts): a token is 4 characters, so usage
 * counts ceil(chars / 4); `signal` and `timeoutMs` end a reply with 'aborted' or 'timeout'.
 * A scripted step streams exactly as written (the test says what the model wrote, even past
 * `maxOutputTokens`); the fallback, the fake's own writing, stops at `maxOutputTokens` (cut at
 * 4 × that many characters, finish reason 'length').
 */
export type FakeStep =
  | string
  | { parts: Array<string | ModelError>; delayMs?: number; /** Waits for this before the first part. */ after?: Promise<unknown> }
  | ModelError
  | ((request: ModelRequest) => string | ModelError | { parts: Array<string | ModelError>; delayMs?: number; after?: Promise<unknown> });

export interface FakeBackendOptions {
  contextTokens?: number;
  /** Used when the script runs out: a function of the request, or a fixed string. */
  fallback?: string | ((request: ModelRequest) => string);
  /** Characters per streamed delta. */
  chunkSize?: number;
  id?: string;
}

const CHARS_PER_TOKEN = 4;

export class FakeBackend implements ModelBackend {
  readonly id: string;
  readonly contextTokens: number;
  readonly calls: ModelRequest[] = [];
  /** How many times close() was called (it holds nothing to release). */
  closeCalls = 0;
  private readonly script: FakeStep[] = [];
  private readonly fallback: string | ((request: ModelRequest) => string);
  private readonly chunkSize: number;

  constructor(options: FakeBackendOptions = {}) {
    this.id = options.id ?? 'fake';
    this.contextTokens = options.contextTokens ?? 8192;
    this.fallback = options.fallback ?? ((req) => `Reply ${this.calls.length} to: ${lastUser(req)}`);
    this.chunkSize = options.chunkSize ?? 8;
  }

  /** Queues replies, used in order; then the fallback answers. */
  push(...steps: FakeStep[]): this {
    this.script.push(...steps);
    return this;
  }

  get lastCall(): ModelRequest | undefined {
    return this.calls[this.calls.length - 1];
  }

  async close(): Promise<void> {
    this.closeCalls++;
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    this.calls.push(request);
    const scripted = this.script.length > 0;
    const step = scripted ? this.script.shift()! : this.fallback;
    const deadline = new Deadline(request.timeoutMs, request.signal);
    try {
      if (deadline.reason) throw deadline.signal.reason;
      const resolved = typeof step === 'function' ? step(request) : step;
      if (resolved instanceof ModelError) throw resolved;
      const parts: Array<string | ModelError> = typeof resolved === 'string' ? chunk(resolved, this.chunkSize) : resolved.parts;
      const delayMs = typeof resolved === 'string' ? 0 : (resolved.delayMs ?? 0);
      if (typeof resolved !== 'string' && resolved.after) await deadline.race(resolved.after);
      const limit = scripted || request.maxOutputTokens === undefined ? Infinity : Math.max(0, request.maxOutputTokens) * CHARS_PER_TOKEN;
      let out = 0;
      let reason: FinishReason = 'stop';
      for (const part of parts) {
        if (deadline.reason) throw deadline.signal.reason;
        if (part instanceof ModelError) throw part;
        if (delayMs > 0) await deadline.sleep(delayMs);
        const text = part.slice(0, limit - out);
        if (text.length < part.length) reason = 'length';
        out += text.length;
        if (text !== '') yield { type: 'text', text };
        if (reason === 'length') break;
      }
      yield { type: 'finish', reason, usage: { inputTokens: inputTokens(request), outputTokens: Math.ceil(out / CHARS_PER_TOKEN) } };
    } catch (err) {
      if (deadline.reason === 'aborted') throw ModelError.of('aborted', 'engine.modelCancelled', undefined, { cause: err });
      if (deadline.reason === 'timeout') throw new ModelError('timeout', 'The model took too long to reply.', { cause: err });
      throw err;
    } finally {
      deadline.dispose();
    }
  }
}

function inputTokens(request: ModelRequest): number {
  return Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / CHARS_PER_TOKEN);
}

function lastUser(request: ModelRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return '';
}

function chunk(text: string, size: number): string[] {
  if (text === '') return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
