/**
 * The concurrency run of the multi-process suite (and of the bench's lost_turns and
 * doubled_replies): N Muse processes behind the fake Slack, one store server. Threads run side
 * by side; in each, a person mentions Muse, then follows up in the thread, one message after the
 * other once Muse has answered the last (as people do). Every event goes to a random process, and
 * a share of them is delivered again to another process at the same moment (Slack's retries).
 * Then every answer is counted in the fake Slack, and every thread's history read from the store.
 */
import { conversationKey } from '../../src/engine/conversation.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeSlack } from './fake-slack.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai-server.js';
import { museEnv, slackPost, SlackFront, sleep, startMuse, until, type MuseProcess } from './muse-processes.js';

export interface ConcurrencyOptions {
  storeUrl: string;
  processes: number;
  threads: number;
  /** Turns per thread (the mention is the first). */
  turns: number;
  /** Share of events delivered a second time, to another process (default 0.1). */
  redeliver?: number;
  /** Extra environment for the processes. */
  env?: Record<string, string>;
}

export interface ConcurrencyResult {
  /** Person posts sent (turns), deliveries made (with the mention's message twin) and how many were delivered twice. */
  turns: number;
  deliveries: number;
  redelivered: number;
  /** Posts Muse never answered, or whose exchange is missing from the stored history. */
  lostTurns: number;
  /** Answers posted more than once (each extra one counts). */
  doubledReplies: number;
  /** Threads whose stored history is not exactly their exchanges, in order. */
  badHistories: string[];
  ms: number;
}

const USERS = ['UADA', 'UBEA', 'UCAL', 'UDEV', 'UEVE'];
const answerTo = (question: string): string => `Answer to ${question}.`;

/**
 * The fake model: each reply names the question it answers ("Alice: q-3-4" → "Answer to q-3-4.");
 * with `latencyMs`, its second half comes that long after the first.
 */
export async function answeringModel(latencyMs = 0): Promise<FakeOpenAI> {
  return startFakeOpenAI({
    defaultBehaviour: (request) => {
      const messages = (request.body as { messages: Array<{ role: string; content: string }> }).messages;
      const last = messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const text = answerTo(last.replace(/^[^:]*: /, ''));
      return latencyMs > 0 ? { kind: 'reply', text, chunks: 2, delayMs: latencyMs } : { kind: 'reply', text };
    },
  });
}

export { answerTo, USERS };

export async function runConcurrency(opts: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const slack = await new FakeSlack().start();
  for (const [i, id] of USERS.entries()) slack.users.set(id, { name: `Person${i}` });
  const openai = await answeringModel();
  const env = museEnv({ slack, openaiUrl: openai.url, storeUrl: opts.storeUrl, ...(opts.env ? { extra: opts.env } : {}) });
  const processes: MuseProcess[] = [];
  const front = new SlackFront(slack, processes);
  const share = opts.redeliver ?? 0.1;
  let deliveries = 0;
  let redelivered = 0;
  const deliver = async (event: Record<string, unknown>) => {
    const redeliver = Math.random() < share;
    deliveries += redeliver ? 2 : 1;
    if (redeliver) redelivered++;
    await front.send(event, { redeliver });
  };
  const run = `${Date.now().toString(36)}`;
  const threads: Array<{ channel: string; ts: string; questions: string[] }> = [];
  try {
    processes.push(...(await Promise.all(Array.from({ length: opts.processes }, (_, n) => startMuse(`muse-${n}`, env)))));
    const started = performance.now();
    await Promise.all(
      Array.from({ length: opts.threads }, async (_, t) => {
        const channel = `C${run.toUpperCase()}${t % 5}`;
        const user = USERS[t % USERS.length]!;
        const questions = Array.from({ length: opts.turns }, (_, k) => `q-${run}-${t}-${k}`);
        const mention = slackPost(slack, { channel, user, text: `<@${slack.botUserId}> ${questions[0]}`, type: 'app_mention' });
        const thread = { channel, ts: mention.ts, questions };
        threads.push(thread);
        await deliver(mention);
        await deliver({ ...mention, type: 'message' }); // Slack sends a mention as both events
        await answered(slack, thread, 0);
        for (let k = 1; k < opts.turns; k++) {
          await deliver(slackPost(slack, { channel, user, text: questions[k]!, thread_ts: mention.ts }));
          await answered(slack, thread, k);
        }
      }),
    );
    const ms = performance.now() - started;
    await sleep(1500); // a doubled answer would show by now
    return { turns: opts.threads * opts.turns, deliveries, redelivered, ...(await count(slack, threads, opts.storeUrl)), ms };
  } catch (err) {
    const logs = processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
    throw new Error(`${(err as Error).message}\n${logs}`, { cause: err });
  } finally {
    front.close();
    await Promise.all(processes.map((p) => p.stop()));
    await openai.close();
    await slack.close();
  }
}

function answers(slack: FakeSlack, thread: { channel: string; ts: string }, question: string): number {
  const text = answerTo(question);
  return slack.museMessages(thread.channel, thread.ts).filter((m) => m.text === text).length;
}

async function answered(slack: FakeSlack, thread: { channel: string; ts: string; questions: string[] }, k: number): Promise<void> {
  await until(() => answers(slack, thread, thread.questions[k]!) > 0, `the answer to ${thread.questions[k]}`);
}

async function count(slack: FakeSlack, threads: Array<{ channel: string; ts: string; questions: string[] }>, storeUrl: string) {
  let lostTurns = 0;
  let doubledReplies = 0;
  const badHistories: string[] = [];
  const store = await openStore(storeUrl);
  try {
    for (const thread of threads) {
      const key = conversationKey({ platform: 'slack', workspace: slack.teamId, channel: thread.channel, thread: thread.ts });
      const meta = await store.getMeta(key);
      const stored = meta ? await store.getTurns(key, meta.base, meta.count) : [];
      const got = stored.map((turn) => turn.text);
      for (const q of thread.questions) {
        const n = answers(slack, thread, q);
        if (n === 0 || !got.includes(q) || !got.includes(answerTo(q))) lostTurns++;
        doubledReplies += Math.max(0, n - 1);
      }
      const expected = thread.questions.flatMap((q) => [q, answerTo(q)]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) badHistories.push(`${key}: ${JSON.stringify(got)}`);
    }
  } finally {
    await store.close();
  }
  return { lostTurns, doubledReplies, badHistories };
}
