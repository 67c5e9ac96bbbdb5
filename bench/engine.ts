import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine } from '../src/app.js';
import { PERSONAS, percentile } from './support.js';
import { conversationKey, type ConversationRef } from '../src/engine/conversation.js';
import type { Engine } from '../src/engine/engine.js';
import { openStore } from '../src/memory/open-store.js';
import type { ConversationStore, Turn } from '../src/memory/types.js';
import { FakeBackend } from '../src/model/fake.js';
import { PersonaRegistry } from '../src/personas/registry.js';

const speaker = { id: 'u1', name: 'Bench' };
const REPLY = 'The lantern swings as the wind picks up, and the path ahead splits in two. Which way do you go?';

function makeEngine(store: ConversationStore): Engine {
  // Zero-latency fake model: whatever is measured is Muse's own overhead.
  const backend = new FakeBackend({ fallback: REPLY, chunkSize: 24 });
  return createEngine({ store, backend: async () => backend, personas: new PersonaRegistry([PERSONAS]) });
}

function ref(channel: string): ConversationRef {
  return { platform: 'bench', workspace: 'w', channel };
}

async function turn(engine: Engine, channel: string, text: string): Promise<void> {
  for await (const part of engine.handle({ conversation: ref(channel), speaker, text })) {
    if (part.type === 'error') throw new Error(`bench turn failed: ${part.message}`);
  }
}

export interface Overhead {
  p50: number;
  p99: number;
  mean: number;
}

/** Per-turn engine overhead over `n` sequential turns spread across 50 conversations. */
async function overhead(engine: Engine, n: number, prefix: string): Promise<Overhead> {
  for (let i = 0; i < 200; i++) await turn(engine, `${prefix}-warm-${i % 20}`, `warm-up ${i}`);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await turn(engine, `${prefix}-${i % 50}`, `I take step ${i} along the path.`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** Turns per second with 100 conversations in flight at once. */
async function throughput(engine: Engine, total: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 100 }, async (_, c) => {
      while (next < total) {
        next++;
        await turn(engine, `tp-${c}`, `Turn ${next}: I look around.`);
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

/** Writes `n` earlier turns straight into the store (as if the conversation had them). */
async function seed(store: ConversationStore, channel: string, n: number): Promise<void> {
  const key = conversationKey(ref(channel));
  const now = Date.now();
  for (let from = 0; from < n; from += 500) {
    const turns: Turn[] = [];
    for (let i = from; i < Math.min(n, from + 500); i++) {
      turns.push(
        i % 2 === 0
          ? { role: 'user', userId: 'u1', name: 'Bench', text: `I take step ${i}.`, at: now }
          : { role: 'assistant', userId: 'muse', name: 'Muse', text: REPLY, at: now },
      );
    }
    // Everything before the last 48 turns counts as summarised, as it would be in a long story.
    const count = from + turns.length;
    await store.append(
      key,
      {
        count,
        base: 0,
        summary: 'The travellers walked a long way.',
        summarizedUpTo: Math.max(0, count - 48),
        persona: 'storyteller',
        settings: {},
        updatedAt: now,
      },
      turns,
    );
  }
}

/**
 * Per-turn cost with 10,000 earlier turns against 10, measured side by side: each round seeds a
 * fresh 10-turn conversation, then both conversations get one untimed turn (so both are in the
 * same warm state) and one timed turn, in alternating order so drift hits both alike.
 */
async function historyRatio(store: ConversationStore, engine: Engine, rounds: number): Promise<{ ratio: number; shortMs: number; longMs: number }> {
  await seed(store, 'hist-long', 10_000);
  const short: number[] = [];
  const long: number[] = [];
  const timed = async (channel: string, sink: number[], i: number) => {
    await turn(engine, channel, `I take step ${i}.`);
    const t0 = performance.now();
    await turn(engine, channel, `I take step ${i} again.`);
    sink.push(performance.now() - t0);
  };
  for (let i = 0; i < rounds; i++) {
    const shortChannel = `hist-short-${i}`;
    await seed(store, shortChannel, 10);
    if (i % 2 === 0) {
      await timed(shortChannel, short, i);
      await timed('hist-long', long, i);
    } else {
      await timed('hist-long', long, i);
      await timed(shortChannel, short, i);
    }
  }
  await engine.idle();
  short.sort((a, b) => a - b);
  long.sort((a, b) => a - b);
  const shortMs = percentile(short, 50);
  const longMs = percentile(long, 50);
  return { ratio: longMs / shortMs, shortMs, longMs };
}

/** Resident memory of a fresh process after one turn in each of `n` conversations. */
export async function rssAfterConversations(storeUrl: string, n: number): Promise<number> {
  const store = await openStore(storeUrl);
  const engine = makeEngine(store);
  for (let i = 0; i < n; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => turn(engine, `rss-${i + j}`, 'Hello, Muse.')));
  }
  await engine.idle();
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss / (1024 * 1024);
  await store.close();
  return rss;
}

function rssInChild(storeUrl: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(import.meta.dirname, 'rss.ts'), storeUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(Number(out.trim())) : reject(new Error(`rss bench exited with ${code}`))));
  });
}

export async function benchEngine(log: (line: string) => void): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'muse-bench-'));
  try {
    const memory = await openStore('memory://');
    const sqlite = await openStore(`sqlite://${join(dir, 'bench.sqlite')}`);
    const memEngine = makeEngine(memory);
    const sqlEngine = makeEngine(sqlite);

    const mem = await overhead(memEngine, 3000, 'ov');
    log(`engine overhead per turn, in-memory store: p50 ${mem.p50.toFixed(3)} ms, p99 ${mem.p99.toFixed(3)} ms`);
    const sql = await overhead(sqlEngine, 3000, 'ov');
    log(`engine overhead per turn, SQLite store:    p50 ${sql.p50.toFixed(3)} ms, p99 ${sql.p99.toFixed(3)} ms`);

    const tpsMemory = await throughput(memEngine, 10_000);
    const tpsSqlite = await throughput(sqlEngine, 5_000);
    log(`turns per second (100 conversations at once): in-memory ${tpsMemory.toFixed(0)}, SQLite ${tpsSqlite.toFixed(0)}`);

    const histSql = await historyRatio(sqlite, sqlEngine, 400);
    log(
      `per-turn cost with 10,000 earlier turns vs 10 (SQLite): ${histSql.longMs.toFixed(3)} ms / ${histSql.shortMs.toFixed(3)} ms = ${histSql.ratio.toFixed(2)}`,
    );
    const histMem = await historyRatio(memory, memEngine, 400);
    log(
      `per-turn cost with 10,000 earlier turns vs 10 (in-memory): ${histMem.longMs.toFixed(3)} ms / ${histMem.shortMs.toFixed(3)} ms = ${histMem.ratio.toFixed(2)}`,
    );
    await memory.close();
    await sqlite.close();

    const rss = await rssInChild(`sqlite://${join(dir, 'rss.sqlite')}`);
    log(`RSS of a fresh process after one turn in each of 10,000 conversations (SQLite store): ${rss.toFixed(0)} MB`);

    return {
      overhead_p50_ms_memory: round(mem.p50),
      overhead_p99_ms_memory: round(mem.p99),
      overhead_p50_ms_sqlite: round(sql.p50),
      overhead_p99_ms_sqlite: round(sql.p99),
      turns_per_s_memory: Math.round(tpsMemory),
      turns_per_s_sqlite: Math.round(tpsSqlite),
      history_ratio: round(histSql.ratio),
      history_ratio_memory: round(histMem.ratio),
      rss_mb_10k_conversations: Math.round(rss),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
