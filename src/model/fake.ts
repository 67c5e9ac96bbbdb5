import { ModelError, type ModelBackend, type ModelPart, type ModelRequest } from './types.js';

/**
 * A hand-written test double: replies are scripted, calls are recorded.
 * A script step is a string (streamed in chunks), a list of parts, a ModelError to throw before
 * any text, or a function of the request (so a test can answer from what it was asked).
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

export class FakeBackend implements ModelBackend {
  readonly id: string;
  readonly contextTokens: number;
  readonly calls: ModelRequest[] = [];
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

  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    this.calls.push(request);
    const step = this.script.length > 0 ? this.script.shift()! : this.fallback;
    const resolved = typeof step === 'function' ? step(request) : step;
    if (resolved instanceof ModelError) throw resolved;
    const parts: Array<string | ModelError> = typeof resolved === 'string' ? chunk(resolved, this.chunkSize) : resolved.parts;
    const delayMs = typeof resolved === 'string' ? 0 : resolved.delayMs ?? 0;
    if (typeof resolved !== 'string' && resolved.after) await resolved.after;
    let out = 0;
    for (const part of parts) {
      if (request.signal?.aborted) throw new ModelError('aborted', 'The reply was cancelled.');
      if (part instanceof ModelError) throw part;
      if (delayMs > 0) await sleep(delayMs, request.signal);
      out += part.length;
      yield { type: 'text', text: part };
    }
    yield { type: 'finish', reason: 'stop', usage: { outputTokens: Math.ceil(out / 4) } };
  }
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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new ModelError('aborted', 'The reply was cancelled.'));
    }, { once: true });
  });
}
