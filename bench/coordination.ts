/**
 * What coordination costs a turn on a store server: acquire the conversation's lease, commit
 * the turn fenced by it (compare-and-set on the rev and the lease), release. Sequential turns
 * spread over 64 conversations, after a warm-up; the plain unconditional commit of the same
 * turn is measured beside it for comparison.
 *
 *   coordination_overhead_p50_ms / _p99_ms   acquire + fenced commit + release, per turn
 *   plain_commit_p50_ms / _p99_ms            the same commit, unconditional and without a lease
 *
 * `benchCoordination(storeUrl)` is for the bench; alone, `npx tsx bench/coordination.ts [URL]`
 * measures on URL, or on a throwaway redis-server on a free loopback port when none is given.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { openCoordination } from '../src/memory/coordination.js';
import { openStore } from '../src/memory/open-store.js';
import { emptyMeta } from '../src/memory/types.js';
import type { ConversationMeta, Turn } from '../src/memory/types.js';
import { percentile, sortNumbers } from './support.js';

const CONVERSATIONS = 64;

export async function benchCoordination(storeUrl: string, iterations = 3000, warmup = 300): Promise<Record<string, number>> {
  const store = await openStore(storeUrl, { namespace: `muse-bench-${randomUUID().slice(0, 8)}` });
  const { leases } = openCoordination(store);
  try {
    const metas = new Map<string, ConversationMeta>();
    const next = (n: number): { conversation: string; meta: ConversationMeta; expectRev: string | undefined; turns: Turn[] } => {
      const conversation = `bench:${n % CONVERSATIONS}`;
      const before = metas.get(conversation) ?? emptyMeta('bard');
      const turns: Turn[] = [
        { role: 'user', userId: 'u1', name: 'Bench', text: `action ${n}`, at: n },
        { role: 'assistant', userId: 'muse', name: 'Muse', text: 'The lantern swings as the wind picks up.', at: n },
      ];
      const meta = { ...before, count: before.count + 2, updatedAt: n, rev: randomUUID() };
      metas.set(conversation, meta);
      return { conversation, meta, expectRev: before.rev, turns };
    };
    const fenced: number[] = [];
    const plain: number[] = [];
    for (let n = 0; n < warmup + iterations; n++) {
      const turn = next(n);
      const started = performance.now();
      const lease = await leases.acquire(turn.conversation, { ttlMs: 30_000, waitMs: 5_000 });
      await store.append(turn.conversation, turn.meta, turn.turns, { expectRev: turn.expectRev, lease });
      await lease.release();
      const took = performance.now() - started;
      const other = next(n);
      const plainStarted = performance.now();
      await store.append(other.conversation, other.meta, other.turns);
      const plainTook = performance.now() - plainStarted;
      if (n >= warmup) {
        fenced.push(took);
        plain.push(plainTook);
      }
    }
    sortNumbers(fenced);
    sortNumbers(plain);
    return {
      coordination_overhead_p50_ms: round2(percentile(fenced, 50)),
      coordination_overhead_p99_ms: round2(percentile(fenced, 99)),
      plain_commit_p50_ms: round2(percentile(plain, 50)),
      plain_commit_p99_ms: round2(percentile(plain, 99)),
    };
  } finally {
    await store.close();
  }
}

function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** A throwaway redis-server on a free loopback port; stop() ends it. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.kill() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const given = process.argv[2];
  const redis = given ? undefined : await startRedis();
  try {
    const figures = await benchCoordination(given ?? redis!.url);
    for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key}: ${value}\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    redis?.stop();
  }
}
