import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { RESTARTING } from '../../src/engine/in-flight.js';
import { openStore } from '../../src/memory/open-store.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { FakeSlack, SlackSender } from '../support/fake-slack.js';
import { freePort, MuseProcess } from '../support/muse-process.js';
import { ALICE, post, SECRET } from '../slack/harness.js';

/**
 * SIGTERM to Muse in the web role (Slack over HTTP, Redis), as a platform stops a process: the
 * turn in flight finishes and is posted while /readyz answers 503, then the process exits 0
 * within 30 s; a turn that would outlast the drain is stopped with a sentence, and nothing of it
 * is saved.
 */
describe('graceful shutdown on SIGTERM', () => {
  let slack: FakeSlack;
  let model: FakeOpenAI;
  let muse: MuseProcess | undefined;
  let sender: SlackSender | undefined;
  const redis = () => process.env.MUSE_TEST_REDIS_URL!;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    slack.users.set(ALICE, { name: 'Alice' });
    model = await startFakeOpenAI();
  });
  afterEach(async () => {
    muse?.kill('SIGKILL');
    sender?.close();
    muse = sender = undefined;
  });
  afterAll(async () => {
    await model.close();
    await slack.close();
  });

  async function startWeb(env: Record<string, string> = {}): Promise<{ base: string }> {
    const port = await freePort();
    muse = new MuseProcess(['--role', 'web'], {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      MUSE_STORE_URL: redis(),
      MUSE_MODEL: 'openai:test-model',
      OPENAI_BASE_URL: model.url,
      ...env,
    });
    await muse.waitForLog('muse is running');
    sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET, slack.teamId);
    return { base: `http://127.0.0.1:${port}` };
  }

  const readyz = async (base: string) => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as { ready: boolean; draining: boolean } };
  };

  it('lets the turn in flight finish and post, answers /readyz 503 meanwhile, refuses new events, and exits 0 within 30 s', async () => {
    const { base } = await startWeb();
    expect((await readyz(base)).status).toBe(200);
    const text = 'Wren rows out at dawn, and the island rises from the low tide to meet her.';
    model.enqueue({ kind: 'reply', text, chunks: 8, delayMs: 400 });
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const mention = post(slack, { type: 'app_mention', channel, text: '<@UMUSE> tell me a story' });
    expect((await sender!.event(mention)).status).toBe(200);
    // The reply has started streaming into the thread.
    await slack.waitFor(() => slack.museMessages(channel, mention.ts).some((m) => m.text.includes('Wren')));

    const signalled = Date.now();
    muse!.kill('SIGTERM');
    let ready = await readyz(base);
    for (let i = 0; i < 50 && ready.status === 200; i++) ready = await readyz(base);
    expect(ready).toEqual({ status: 503, body: expect.objectContaining({ ready: false, draining: true }) });
    const late = post(slack, { type: 'app_mention', channel, text: '<@UMUSE> one more' });
    expect((await sender!.event(late)).status).toBe(503);

    const exit = await muse!.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(30_000);
    // The whole reply was posted; the late mention was never answered here.
    const replies = slack.museMessages(channel, mention.ts);
    expect(replies.map((m) => m.text).join('')).toContain(text);
    expect(replies.some((m) => m.text.includes(RESTARTING))).toBe(false);
    expect(slack.museMessages(channel, late.ts)).toEqual([]);
    expect(muse!.logs.find((l) => l.msg === 'muse stopped')).toMatchObject({ finishedInTime: true });
  });

  it('stops a turn that would outlast the drain with a sentence, saves nothing of it, and still exits 0', async () => {
    await startWeb({ MUSE_DRAIN_MS: '1500' });
    model.enqueue({ kind: 'stall', text: 'The storm came in over the harbour and', chunks: 6, afterChunks: 2 });
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const mention = post(slack, { type: 'app_mention', channel, text: '<@UMUSE> tell me a long story' });
    expect((await sender!.event(mention)).status).toBe(200);
    await slack.waitFor(() => slack.museMessages(channel, mention.ts).some((m) => m.text.includes('storm')));

    const signalled = Date.now();
    muse!.kill('SIGTERM');
    const exit = await muse!.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(1500 + 5000);
    const replies = slack.museMessages(channel, mention.ts).map((m) => m.text);
    expect(
      replies.some((t) => t.includes(RESTARTING)),
      replies.join('\n'),
    ).toBe(true);
    expect(muse!.logs.find((l) => l.msg === 'turns still running at the end of the drain were stopped')).toMatchObject({ stopped: 1 });
    const store = await openStore(redis());
    try {
      expect(await store.getMeta(conversationKey({ platform: 'slack', workspace: slack.teamId, channel, thread: mention.ts }))).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
