/**
 * Running as many processes, on a throwaway redis-server (loopback, a free port):
 *
 *   coordination_overhead_p50/p99_ms   lease + fenced compare-and-set commit + release per turn (bench/coordination.ts)
 *   lost_turns, doubled_replies    from the concurrency run of the multi-process suite: 4 processes
 *                                  behind the fake Slack, 200 turns across 20 threads, 10% re-delivered
 *   scale_ratio_2, scale_ratio_4   turns per second of 2 and 4 processes ÷ 1 process, latency-bound:
 *                                  the fake model takes 500 ms a reply, 64 conversations, at most 8
 *                                  turns in flight per process (target ≥ 0.8 × N)
 *   scale_turns_per_s_1/2/4        the throughputs behind the ratios
 *
 * At most 8 turns per process: each process runs with MUSE_MAX_TURNS=8, and the bench's driver
 * also sends a process at most 8 turns at once (a turn waits for a free slot before it is sent),
 * so no turn waits in a process's queue and the figures stay comparable with earlier runs.
 *
 * `npx tsx bench/scale.ts` runs it alone.
 */
import { runConcurrency, answeringModel, answerTo, USERS } from '../test/support/concurrency-run.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { museEnv, slackPost, SlackFront, startMuse, until, type MuseProcess } from '../test/support/muse-processes.js';
import { benchCoordination, startRedis } from './coordination.js';

const CONVERSATIONS = 64;
const TURNS_PER_CONVERSATION = 3;
const SLOTS_PER_PROCESS = 8;
const MODEL_LATENCY_MS = 500;

export async function benchScale(): Promise<Record<string, number>> {
  const redis = await startRedis();
  try {
    const coordination = await benchCoordination(redis.url, 1000, 100);
    const run = await runConcurrency({ storeUrl: `${redis.url}/1`, processes: 4, threads: 20, turns: 10, redeliver: 0.1 });
    const one = await throughput(1, `${redis.url}/2`);
    const two = await throughput(2, `${redis.url}/3`);
    const four = await throughput(4, `${redis.url}/4`);
    return {
      coordination_overhead_p50_ms: coordination.coordination_overhead_p50_ms!,
      coordination_overhead_p99_ms: coordination.coordination_overhead_p99_ms!,
      lost_turns: run.lostTurns + run.badHistories.length,
      doubled_replies: run.doubledReplies,
      scale_turns_per_s_1: round2(one),
      scale_turns_per_s_2: round2(two),
      scale_turns_per_s_4: round2(four),
      scale_ratio_2: round2(two / one),
      scale_ratio_4: round2(four / one),
    };
  } finally {
    redis.stop();
  }
}

/**
 * Turns per second of `n` processes: 64 conversations (Slack threads), each a mention and then
 * follow-ups, one at a time; every turn goes to a process with a free slot (8 each).
 */
async function throughput(n: number, storeUrl: string): Promise<number> {
  const slack = await new FakeSlack().start();
  for (const [i, id] of USERS.entries()) slack.users.set(id, { name: `Person${i}` });
  const openai = await answeringModel(MODEL_LATENCY_MS);
  const env = museEnv({ slack, openaiUrl: openai.url, storeUrl, extra: { MUSE_MAX_TURNS: String(SLOTS_PER_PROCESS) } });
  const processes: MuseProcess[] = [];
  const front = new SlackFront(slack, processes);
  try {
    processes.push(...(await Promise.all(Array.from({ length: n }, (_, k) => startMuse(`scale-${n}-${k}`, env)))));
    const slots = new Map(processes.map((p) => [p, SLOTS_PER_PROCESS]));
    const waiting: Array<() => void> = [];
    const take = async (): Promise<MuseProcess> => {
      for (;;) {
        const free = processes.find((p) => slots.get(p)! > 0);
        if (free) {
          slots.set(free, slots.get(free)! - 1);
          return free;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    };
    const give = (p: MuseProcess): void => {
      slots.set(p, slots.get(p)! + 1);
      waiting.shift()?.();
    };
    const tag = `${n}${Date.now().toString(36)}`;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const channel = `CBENCH${tag.toUpperCase()}${c % 8}`;
        const user = USERS[c % USERS.length]!;
        let thread: string | undefined;
        for (let k = 0; k < TURNS_PER_CONVERSATION; k++) {
          const question = `b-${tag}-${c}-${k}`;
          const event = thread
            ? slackPost(slack, { channel, user, text: question, thread_ts: thread })
            : slackPost(slack, { channel, user, text: `<@${slack.botUserId}> ${question}`, type: 'app_mention' });
          thread ??= event.ts;
          const at = await take();
          try {
            await front.send(event, { to: at });
            await until(() => slack.museMessages(channel, thread).some((m) => m.text === answerTo(question)), `the answer to ${question}`, 300_000);
          } finally {
            give(at);
          }
        }
      }),
    );
    return (CONVERSATIONS * TURNS_PER_CONVERSATION) / ((performance.now() - started) / 1000);
  } finally {
    front.close();
    await Promise.all(processes.map((p) => p.stop()));
    await openai.close();
    await slack.close();
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchScale();
  for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key}: ${value}\n`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
