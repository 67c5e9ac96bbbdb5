/**
 * Local model overhead: a reply through Muse (the engine as createEngine builds it, with the
 * local backend on the tiny test model) against the same prompt and the same number of tokens
 * through node-llama-cpp directly (LlamaCompletion on the same loaded model, its own context of
 * the same size), in this process, runs interleaved in rotating order.
 *  - local_overhead_ratio: median Muse reply / median LlamaCompletion that streams its text
 *    (onTextChunk), as Muse must (target ≤ 1.05);
 *  - local_overhead_ratio_unstreamed: the same against a LlamaCompletion that only returns the
 *    whole text at the end;
 *  - local_overhead_cpu_ratio: median process CPU time (all threads) of a Muse reply / of a
 *    streaming LlamaCompletion: the work done, less moved by other load on the machine.
 * Both sides decode greedily (temperature 0) for exactly TOKENS tokens: the prompt is a fresh
 * story ("Once upon a time") and the tiny model does not end that story so early. The token
 * counts are checked on every run and the texts compared; a mismatch stops the bench.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LlamaCompletion, type Token } from 'node-llama-cpp';
import { createEngine } from '../src/app.js';
import type { Engine } from '../src/engine/engine.js';
import { openStore } from '../src/memory/open-store.js';
import { STORY_OPENING } from '../src/model/local-prompt.js';
import { createLocalBackend, LocalRuntime, type LocalPrompt } from '../src/model/local.js';
import type { ModelBackend, ModelPart, ModelRequest } from '../src/model/types.js';
import { PersonaRegistry } from '../src/personas/registry.js';
import { percentile, round1, sortNumbers } from './support.js';

/** The tiny base model that ships in the repository (test/fixtures/models/README.md). */
const TINY_MODEL = resolve(import.meta.dirname, '../test/fixtures/models/stories260K.gguf');
const TOKENS = 96;
const WARMUP = 5;
const ROUNDS = 61;

const PERSONA = `---
name: bench-local
description: A greedy narrator for the local overhead bench.
mode: chat
temperature: 0
max_output_tokens: ${TOKENS}
greeting: Hello.
---
You tell stories.
`;

/** Passes the stream through and notes the usage of each reply (the token count to check). */
class UsageNote implements ModelBackend {
  outputTokens: number | undefined;
  constructor(private readonly inner: ModelBackend) {}
  get id(): string {
    return this.inner.id;
  }
  get contextTokens(): number {
    return this.inner.contextTokens;
  }
  countTokens(text: string): number {
    return this.inner.countTokens!(text);
  }
  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    for await (const part of this.inner.stream(request)) {
      if (part.type === 'finish') this.outputTokens = part.usage.outputTokens;
      yield part;
    }
  }
}

/** One reply through the engine; its whole text. */
async function museReply(engine: Engine, channel: string): Promise<string> {
  for await (const part of engine.handle({
    conversation: { platform: 'bench', workspace: 'w', channel },
    speaker: { id: 'u1', name: 'Bench' },
    text: 'Tell me a story.',
  })) {
    if (part.type === 'error') throw new Error(`bench: the local reply failed: ${part.message}`);
    if (part.type === 'done') return part.text;
  }
  throw new Error('bench: the local reply never ended');
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export async function benchLocal(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'muse-bench-local-'));
  const prompts: LocalPrompt[] = [];
  const runtime = new LocalRuntime();
  const local = createLocalBackend({ runtime, modelPath: TINY_MODEL, threads: 1, onPrompt: (p) => prompts.push(p) });
  const store = await openStore('memory://');
  try {
    writeFileSync(join(dir, 'bench-local.md'), PERSONA);
    const backend = new UsageNote(local);
    const engine = createEngine({ store, backend: async () => backend, personas: new PersonaRegistry([dir]), defaultPersona: 'bench-local' });
    await local.prepare();
    const model = local.model!;
    // The direct side: its own context of the same size and threads, on the same loaded model.
    const context = await model.createContext({ contextSize: local.contextTokens, threads: 1, sequences: 1 });
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });

    let museRuns = 0;
    let promptTokens: readonly Token[] | undefined;
    const texts = { muse: '', streamed: '', unstreamed: '' };
    const generated = { streamed: 0, unstreamed: 0 };
    // node-llama-cpp straight: streaming the text as it comes (as Muse must), or only at the end.
    // LlamaCompletion prepends the BOS itself, as it does for Muse's backend.
    const direct = (side: 'streamed' | 'unstreamed') => async () => {
      generated[side] = 0;
      let text = '';
      const whole = await completion.generateCompletion(promptTokens!.slice(1), {
        temperature: 0,
        maxTokens: TOKENS,
        onToken: (t) => (generated[side] += t.length),
        ...(side === 'streamed' ? { onTextChunk: (chunk: string) => (text += chunk) } : {}),
      });
      texts[side] = side === 'streamed' ? text : whole;
    };
    const sides = {
      muse: async () => {
        texts.muse = await museReply(engine, `local-${museRuns++}`); // a fresh conversation: the same prompt every time
      },
      streamed: direct('streamed'),
      unstreamed: direct('unstreamed'),
    };
    type Side = keyof typeof sides;
    /** After each run, outside the timing: the same prompt, and exactly TOKENS tokens. */
    const check = (side: Side) => {
      if (side === 'muse') {
        const prompt = prompts.at(-1)!;
        promptTokens ??= prompt.tokens;
        if (prompt.chatWrapper !== null || prompt.tokens.join() !== promptTokens.join()) throw new Error(`bench: Muse's prompt changed: ${prompt.text}`);
        if (backend.outputTokens !== TOKENS) throw new Error(`bench: Muse generated ${backend.outputTokens} tokens, not ${TOKENS}`);
      } else if (generated[side] !== TOKENS) {
        throw new Error(`bench: node-llama-cpp (${side}) generated ${generated[side]} tokens, not ${TOKENS}`);
      }
    };
    const wall: Record<Side, number[]> = { muse: [], streamed: [], unstreamed: [] };
    const cpu: Record<Side, number[]> = { muse: [], streamed: [], unstreamed: [] };
    const order = Object.keys(sides) as Side[];
    const run = async (side: Side) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await sides[side]();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      check(side);
      return { ms, cpuMs: (c.user + c.system) / 1000 };
    };

    for (let i = 0; i < WARMUP; i++) for (const side of order) await run(side);
    // Same greedy tokens on every side, so the same text (Muse's reply starts with the opening it wrote itself).
    for (const side of ['streamed', 'unstreamed'] as const) {
      if (texts.muse !== `${STORY_OPENING}${texts[side]}`)
        throw new Error(`bench: Muse wrote ${JSON.stringify(texts.muse)}, node-llama-cpp (${side}) ${JSON.stringify(texts[side])}`);
    }
    for (let i = 0; i < ROUNDS; i++) {
      // Every order in turn, so drift and load hit every side alike.
      for (let j = 0; j < order.length; j++) {
        const side = order[(i + j) % order.length]!;
        const { ms, cpuMs } = await run(side);
        wall[side].push(ms);
        cpu[side].push(cpuMs);
      }
    }
    await engine.idle();
    engine.close();
    completion.dispose();
    await context.dispose();

    // How much the ratio moves from round to round (other work on the machine), for the reader.
    const perRound = sortNumbers(wall.muse.map((ms, i) => ms / wall.streamed[i]!));
    const median = (values: number[]) => percentile(sortNumbers([...values]), 50);
    const [museMs, streamedMs, unstreamedMs] = order.map((side) => median(wall[side])) as [number, number, number];
    const [museCpu, streamedCpu] = [median(cpu.muse), median(cpu.streamed)];
    process.stdout.write(
      `local reply, tiny model on 1 thread, a ${promptTokens!.length}-token prompt and ${TOKENS} tokens generated on every run (checked), medians of ${ROUNDS} interleaved rounds: ` +
        `Muse ${museMs.toFixed(1)} ms, node-llama-cpp streaming ${streamedMs.toFixed(1)} ms, not streaming ${unstreamedMs.toFixed(1)} ms; ` +
        `Muse/streaming per round p25 ${percentile(perRound, 25).toFixed(2)}, p50 ${percentile(perRound, 50).toFixed(2)}, p75 ${percentile(perRound, 75).toFixed(2)}; ` +
        `CPU time (all threads) Muse ${museCpu.toFixed(1)} ms, streaming ${streamedCpu.toFixed(1)} ms\n`,
    );
    return {
      local_overhead_ratio: round3(museMs / streamedMs),
      local_overhead_ratio_unstreamed: round3(museMs / unstreamedMs),
      local_overhead_cpu_ratio: round3(museCpu / streamedCpu),
      local_reply_ms_muse: round1(museMs),
      local_reply_ms_direct: round1(streamedMs),
      local_reply_ms_direct_unstreamed: round1(unstreamedMs),
      local_tokens: TOKENS,
    };
  } finally {
    await local.close?.();
    await runtime.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
