/** What the adapter benches share: a fake model that notes its first token, and the engine. */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../src/app.js';
import type { Engine } from '../src/engine/engine.js';
import { openStore } from '../src/memory/open-store.js';
import type { ConversationStore } from '../src/memory/types.js';
import { FakeBackend } from '../src/model/fake.js';
import type { ModelBackend, ModelPart, ModelRequest } from '../src/model/types.js';
import { PersonaRegistry } from '../src/personas/registry.js';

export const PERSONAS = resolve(import.meta.dirname, '../personas');

/** A scripted fake model that records when its first token of a reply came out. */
export class TimedBackend implements ModelBackend {
  readonly id = 'fake';
  readonly fake: FakeBackend;
  /** performance.now() of the first text part since the last reset(). */
  firstToken: number | undefined;

  constructor(fallback: string) {
    this.fake = new FakeBackend({ fallback });
  }

  get contextTokens(): number {
    return this.fake.contextTokens;
  }

  reset(): void {
    this.firstToken = undefined;
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    for await (const part of this.fake.stream(request)) {
      if (part.type === 'text' && this.firstToken === undefined) this.firstToken = performance.now();
      yield part;
    }
  }
}

/** The engine as `npm start` builds it, on an in-memory store, with this backend. */
export async function benchEngineWith(backend: ModelBackend, storeUrl = 'memory://'): Promise<{ engine: Engine; store: ConversationStore }> {
  const store = await openStore(storeUrl);
  const engine = createEngine({ store, backend: async () => backend, personas: new PersonaRegistry([PERSONAS]) });
  return { engine, store };
}

/** Nearest-rank percentile (p from 0 to 100) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function sortNumbers(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

/** Milliseconds to one decimal. */
export function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
