/**
 * Muse as several processes on one store server (the test set-up's redis-server and Postgres),
 * each a child process serving Slack over HTTP behind the fake Slack, the model the fake OpenAI.
 * Nothing here asserts a time: waits poll the fakes, with generous limits for a loaded machine.
 */
import { createClient } from '@keyv/redis';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { openStore } from '../../src/memory/open-store.js';
import { runConcurrency, answeringModel } from '../support/concurrency-run.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { museEnv, slackPost, SlackFront, sleep, startMuse, until, type MuseProcess } from '../support/muse-processes.js';

const LONG = 600_000;
const redisBase = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl = process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';
const ALICE = 'UALICE';
const BOB = 'UBOB';
const LOST = 'hand the conversation on';
const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall';

/** A Redis database of its own for one test (emptied first), so no test sees another's jobs. */
async function redisDb(n: number): Promise<string> {
  const url = new URL(redisBase);
  url.pathname = `/${n}`;
  const client = createClient({ url: url.toString() });
  await client.connect();
  await client.flushDb();
  await client.close();
  return url.toString();
}

async function slackWithPeople(): Promise<FakeSlack> {
  const slack = await new FakeSlack().start();
  slack.users.set(ALICE, { name: 'Alice' });
  slack.users.set(BOB, { name: 'Bob' });
  return slack;
}

async function storedTexts(storeUrl: string, slack: FakeSlack, channel: string, thread: string): Promise<string[]> {
  const store = await openStore(storeUrl);
  try {
    const key = conversationKey({ platform: 'slack', workspace: slack.teamId, channel, thread });
    const meta = await store.getMeta(key);
    return meta ? (await store.getTurns(key, meta.base, meta.count)).map((t) => t.text) : [];
  } finally {
    await store.close();
  }
}

/** Runs `body` with the processes, then stops them, and says what they logged when it fails. */
async function withProcesses<T>(processes: MuseProcess[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const logs = processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
    throw new Error(`${(err as Error).message}\n${logs}`, { cause: err });
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}

describe('scale: several Muse processes on one store', () => {
  it(
    'Redis, 4 processes: 200 turns across 20 threads, 10% re-delivered to another process, each answered once and kept in order',
    async () => {
      const result = await runConcurrency({ storeUrl: await redisDb(3), processes: 4, threads: 20, turns: 10, redeliver: 0.1 });
      expect(result.turns).toBe(200);
      expect(result.redelivered).toBeGreaterThan(0);
      expect(result.badHistories).toEqual([]);
      expect(result.lostTurns).toBe(0);
      expect(result.doubledReplies).toBe(0);
    },
    LONG,
  );

  it(
    'Postgres, 2 processes: the compare-and-set commit keeps every turn once, in order',
    async () => {
      const result = await runConcurrency({ storeUrl: postgresUrl, processes: 2, threads: 8, turns: 5, redeliver: 0.2 });
      expect(result.badHistories).toEqual([]);
      expect(result.lostTurns).toBe(0);
      expect(result.doubledReplies).toBe(0);
    },
    LONG,
  );

  it(
    'kill -9 of the process holding the lease mid-reply leaves no half turn; the next turn is served once the lease expires',
    async () => {
      const storeUrl = await redisDb(4);
      const slack = await slackWithPeople();
      const openai = await answeringModel();
      openai.enqueue({ kind: 'stall', text: 'Once upon a time, far away, there lived', chunks: 8, afterChunks: 2 });
      const env = museEnv({ slack, openaiUrl: openai.url, storeUrl, extra: { MUSE_LEASE_TTL_MS: '2000' } });
      const [a, b] = await Promise.all([startMuse('holder', env), startMuse('other', env)]);
      const front = new SlackFront(slack, [a, b]);
      await withProcesses([a, b], async () => {
        const mention = slackPost(slack, { channel: 'CKILL', user: ALICE, text: `<@${slack.botUserId}> q1`, type: 'app_mention' });
        await front.send(mention, { to: a });
        // Mid-reply: the first words are on Slack, the rest never comes.
        await until(() => slack.museMessages('CKILL', mention.ts).length > 0, 'the first words of the reply');
        a.child.kill('SIGKILL');
        await a.exited;
        expect(await storedTexts(storeUrl, slack, 'CKILL', mention.ts)).toEqual([]);
        await front.send(slackPost(slack, { channel: 'CKILL', user: BOB, text: 'q2', thread_ts: mention.ts }), { to: b });
        await until(() => slack.museMessages('CKILL', mention.ts).some((m) => m.text === 'Answer to q2.'), 'the next turn, once the lease expired');
        expect(await storedTexts(storeUrl, slack, 'CKILL', mention.ts)).toEqual(['q2', 'Answer to q2.']);
      }).finally(async () => {
        front.close();
        await openai.close();
        await slack.close();
      });
    },
    LONG,
  );

  it(
    'a holder stopped (SIGSTOP) past its lease comes back (SIGCONT) to find its commit rejected: nothing overwritten',
    async () => {
      const storeUrl = await redisDb(5);
      const slack = await slackWithPeople();
      const openai = await answeringModel();
      openai.enqueue({ kind: 'reply', text: 'A slow answer that is written one piece at a time.', chunks: 10, delayMs: 300 });
      const env = museEnv({ slack, openaiUrl: openai.url, storeUrl, extra: { MUSE_LEASE_TTL_MS: '2000' } });
      const [a, b] = await Promise.all([startMuse('sleeper', env), startMuse('other', env)]);
      const front = new SlackFront(slack, [a, b]);
      await withProcesses([a, b], async () => {
        const mention = slackPost(slack, { channel: 'CSTOP', user: ALICE, text: `<@${slack.botUserId}> q1`, type: 'app_mention' });
        await front.send(mention, { to: a });
        await until(() => openai.chatRequests.length > 0, "the holder's model call");
        a.child.kill('SIGSTOP');
        try {
          await sleep(3500); // past the 2 s lease: no renewal got through
          await front.send(slackPost(slack, { channel: 'CSTOP', user: BOB, text: 'q2', thread_ts: mention.ts }), { to: b });
          await until(() => slack.museMessages('CSTOP', mention.ts).some((m) => m.text === 'Answer to q2.'), 'the other process to take the conversation');
          expect(await storedTexts(storeUrl, slack, 'CSTOP', mention.ts)).toEqual(['q2', 'Answer to q2.']);
        } finally {
          a.child.kill('SIGCONT');
        }
        await until(() => slack.museMessages('CSTOP', mention.ts).some((m) => m.text.includes(LOST)), 'the late holder to give up in one sentence');
        expect(await storedTexts(storeUrl, slack, 'CSTOP', mention.ts)).toEqual(['q2', 'Answer to q2.']);
      }).finally(async () => {
        front.close();
        await openai.close();
        await slack.close();
      });
    },
    LONG,
  );

  it(
    'windows across a restart: votes of 5 s, every process killed at about 2 s and new ones started at about 8 s, each vote closes once',
    async () => {
      const storeUrl = await redisDb(6);
      const slack = await slackWithPeople();
      const openai = await startFakeOpenAI({ defaultBehaviour: { kind: 'reply', text: BEAT } });
      const env = museEnv({ slack, openaiUrl: openai.url, storeUrl });
      const channels = ['CVOTE1', 'CVOTE2', 'CVOTE3', 'CVOTE4', 'CVOTE5'];
      const first = await Promise.all([startMuse('first-0', env), startMuse('first-1', env)]);
      const front = new SlackFront(slack, first);
      const closed = (channel: string) => slack.museMessages(channel).filter((m) => m.text.includes('The vote closed')).length;
      const later: MuseProcess[] = [];
      await withProcesses([...first, ...later], async () => {
        const opened = Date.now();
        await Promise.all(channels.map((channel) => front.command('/story', 'new a fox vote:5', { user: ALICE, channel })));
        await until(() => channels.every((c) => slack.museMessages(c).some((m) => m.text.includes('What do you do?'))), 'every opening beat');
        await sleep(Math.max(0, opened + 2000 - Date.now()));
        for (const p of first) p.child.kill('SIGKILL');
        await Promise.all(first.map((p) => p.exited));
        await sleep(Math.max(0, opened + 8000 - Date.now()));
        later.push(...(await Promise.all([startMuse('later-0', env), startMuse('later-1', env)])));
        await until(() => channels.every((c) => closed(c) > 0), 'every vote to close');
        await sleep(4000); // several polls of both processes later
        expect(channels.map(closed)).toEqual(channels.map(() => 1));
      })
        .finally(() => Promise.all(later.map((p) => p.stop())))
        .finally(async () => {
          front.close();
          await openai.close();
          await slack.close();
        });
    },
    LONG,
  );
});
