import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateText, ModelError, type ModelBackend, type ModelPart, type ModelRequest } from '../../src/model/types.js';

/**
 * The model backend contract, Keyv-style: one suite that every backend runs (contract.test.ts
 * runs it on openai against the fake OpenAI server, local on the tiny model, and the fake).
 * Only what every backend can honestly do: how a reply streams and ends, how it is cancelled,
 * timed out and bounded, and how the backend describes and closes itself.
 */

export interface ContractSubject {
  backend: ModelBackend;
  /**
   * Arms the backend's next reply to be long and slow (many text parts, spaced out, well over a
   * second in all), so a test can abort it after its first part or outlast a short deadline;
   * returns the request to send for it (derived from `request`).
   */
  slow(request: ModelRequest): ModelRequest;
  /** Anything to undo after each test, beyond `backend.close()`. */
  dispose?(): Promise<void>;
}

/** Registers the contract's tests in the current describe block; `make` runs before each. */
export function modelBackendContract(make: () => ContractSubject | Promise<ContractSubject>): void {
  let subject: ContractSubject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject.backend.close?.();
    await subject.dispose?.();
  });

  /** Greedy, so a backend writes the same reply each time; bounded, so a local model is quick. */
  const ask = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
    messages: [
      { role: 'system', content: 'You are a storyteller.' },
      { role: 'user', content: 'Tell me a story about a lighthouse.', name: 'Ana' },
    ],
    temperature: 0,
    maxOutputTokens: 24,
    ...extra,
  });

  it('streams text parts, then exactly one finish part with usage', async () => {
    const parts = await collect(subject.backend.stream(ask()));
    const finish = parts.at(-1);
    expect(finish?.type).toBe('finish');
    if (finish?.type !== 'finish') return;
    const texts = parts.slice(0, -1);
    expect(texts.length).toBeGreaterThan(0);
    for (const p of texts) expect(p).toEqual({ type: 'text', text: expect.stringMatching(/./s) });
    expect(['stop', 'length', 'other']).toContain(finish.reason);
    expect(finish.usage.inputTokens).toBeGreaterThanOrEqual(0);
    expect(finish.usage.outputTokens).toBeGreaterThan(0); // text came
  });

  it('generateText gives the concatenated stream and its usage', async () => {
    const parts = await collect(subject.backend.stream(ask()));
    const whole = await generateText(subject.backend, ask());
    expect(whole.text).toBe(textOf(parts));
    expect(whole.text).not.toBe('');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: whole.usage });
  });

  it('an already-aborted signal fails at once with "aborted" and no text', async () => {
    const seen: ModelPart[] = [];
    const err = await failure(subject.backend.stream(subject.slow(ask({ signal: AbortSignal.abort() }))), seen);
    expect(err.kind).toBe('aborted');
    expect(seen).toEqual([]);
  });

  it('aborting mid-stream ends with "aborted", with no text after the abort, and the backend answers again', async () => {
    const controller = new AbortController();
    const seen: ModelPart[] = [];
    const err = await failure(
      (async function* () {
        for await (const p of subject.backend.stream(subject.slow(ask({ signal: controller.signal })))) {
          yield p;
          if (controller.signal.aborted) continue;
          // After the first text part, once the backend has had time to get ahead of this
          // reader: what it holds already must not come out after the abort either.
          await new Promise((resolve) => setTimeout(resolve, 150));
          controller.abort();
        }
      })(),
      seen,
    );
    expect(err.kind).toBe('aborted');
    expect(seen).toEqual([{ type: 'text', text: expect.any(String) }]);
    const next = await generateText(subject.backend, ask());
    expect(next.text).not.toBe('');
  });

  it('a deadline that passes ends with "timeout" and no finish part', async () => {
    const seen: ModelPart[] = [];
    const err = await failure(subject.backend.stream(subject.slow(ask({ timeoutMs: 20 }))), seen);
    expect(err.kind).toBe('timeout');
    expect(seen.every((p) => p.type === 'text')).toBe(true);
  });

  it('maxOutputTokens bounds the output', async () => {
    const longer = await collect(subject.backend.stream(ask({ maxOutputTokens: 24 })));
    const bounded = await collect(subject.backend.stream(ask({ maxOutputTokens: 4 })));
    const finish = bounded.at(-1);
    expect(finish).toMatchObject({ type: 'finish', reason: 'length' });
    if (finish?.type !== 'finish') return;
    expect(finish.usage.outputTokens).toBeGreaterThan(0);
    expect(finish.usage.outputTokens).toBeLessThanOrEqual(4);
    // The same greedy reply, cut shorter.
    expect(textOf(bounded).length).toBeLessThan(textOf(longer).length);
    expect(textOf(longer).startsWith(textOf(bounded))).toBe(true);
  });

  it('contextTokens is a positive number', () => {
    expect(Number.isFinite(subject.backend.contextTokens)).toBe(true);
    expect(subject.backend.contextTokens).toBeGreaterThan(0);
  });

  it('close() can be called again', async () => {
    await generateText(subject.backend, ask());
    expect(typeof subject.backend.close).toBe('function');
    await subject.backend.close!();
    await subject.backend.close!();
  });
}

export async function collect(stream: AsyncIterable<ModelPart>): Promise<ModelPart[]> {
  const parts: ModelPart[] = [];
  for await (const p of stream) parts.push(p);
  return parts;
}

/** The stream's failure, which must be a ModelError; the parts before it go to `seen`. */
export async function failure(stream: AsyncIterable<ModelPart>, seen: ModelPart[] = []): Promise<ModelError> {
  try {
    for await (const p of stream) seen.push(p);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected the stream to fail');
}

function textOf(parts: ModelPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}
