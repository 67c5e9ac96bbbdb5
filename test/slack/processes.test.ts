import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { makeEngine, type TestEngine } from '../support/engine.js';
import { FakeSlack, SlackSender } from '../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, post, SECRET } from './harness.js';

const redisUrl = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Proc {
  t: TestEngine;
  store: ConversationStore;
  bolt: RunningSlack;
  sender: SlackSender;
}

let slack: FakeSlack | undefined;
const procs: Proc[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.sender.close();
    await p.bolt.stop();
    await p.t.engine.idle();
    await p.store.close();
  }
  await slack?.close();
});

/** Two Muse processes over HTTP on one Redis, behind one fake Slack. */
async function twoProcesses(backends: [FakeBackend, FakeBackend]): Promise<[Proc, Proc]> {
  slack = await new FakeSlack().start();
  slack.users.set(ALICE, { name: 'Alice' });
  slack.users.set(BOB, { name: 'Bob' });
  const namespace = `muse-slack-${randomUUID().slice(0, 8)}`;
  for (const backend of backends) {
    const store = await openStore(redisUrl, { namespace });
    const t = await makeEngine({ store, backend });
    const bolt = await startSlack({
      engine: t.engine,
      botToken: 'xoxb-test',
      apiUrl: slack.url.replace(/\/$/, ''),
      port: 0,
      log: pino({ level: 'silent' }),
      throttleMs: 0,
      signingSecret: SECRET,
    });
    const sender = new SlackSender(`http://127.0.0.1:${bolt.port}/slack/events`, SECRET, slack.teamId, `${slack.origin}/respond`);
    procs.push({ t, store, bolt, sender });
  }
  return [procs[0]!, procs[1]!];
}

describe('slack: two processes on one store', () => {
  it('answers once an event sent to both, and a post that reaches one as app_mention and the other as message', async () => {
    const [a, b] = await twoProcesses([new FakeBackend({ fallback: 'From A.' }), new FakeBackend({ fallback: 'From B.' })]);
    const suppressed: string[] = [];
    for (const p of [a, b]) p.t.engine.observe({ duplicateSuppressed: (source) => suppressed.push(source) });
    const mention = post(slack!, { type: 'app_mention', text: '<@UMUSE> hello' });
    const eventId = `Ev${randomUUID()}`;
    await Promise.all([
      a.sender.event(mention, { eventId }),
      b.sender.event(mention, { eventId, retryNum: 1 }),
      b.sender.event({ ...mention, type: 'message' }),
    ]);
    await slack!.waitFor(() => slack!.museMessages(CHANNEL, mention.ts).length > 0);
    await Promise.all([a.bolt.idle(), b.bolt.idle()]);
    expect(slack!.museMessages(CHANNEL, mention.ts)).toHaveLength(1);
    expect(a.t.backend.calls.length + b.t.backend.calls.length).toBe(1);
    expect(suppressed).toEqual(['slack.event']); // the message twin of a top-level mention is left to app_mention
  });

  it('continues a thread when a follow-up reaches another process before Muse has answered the mention', async () => {
    let release!: () => void;
    const slow = new FakeBackend();
    slow.push({ parts: ['The first ', 'answer.'], after: new Promise<void>((r) => (release = r)) });
    const [a, b] = await twoProcesses([slow, new FakeBackend({ fallback: 'The second answer.' })]);
    const mention = post(slack!, { type: 'app_mention', text: '<@UMUSE> start' });
    await a.sender.event(mention);
    while (slow.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    // Bob follows up in the thread, on B, while A is still writing (nothing of Muse's is in the thread yet).
    await b.sender.event(post(slack!, { user: BOB, text: 'and then?', thread_ts: mention.ts }));
    await slack!.waitFor(() => slack!.callsOf('users.info').some((c) => c.args.user === BOB));
    expect(slack!.museMessages(CHANNEL, mention.ts)).toHaveLength(0);
    release();
    await slack!.waitFor(() => slack!.museMessages(CHANNEL, mention.ts).length === 2);
    await Promise.all([a.bolt.idle(), b.bolt.idle()]);
    expect(slack!.museMessages(CHANNEL, mention.ts).map((m) => m.text)).toEqual(['The first answer.', 'The second answer.']);
    // B's turn came after A's, in the same conversation.
    expect(b.t.backend.lastCall!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      'Alice: start',
      'The first answer.',
      'Bob: and then?',
    ]);
  });
});
