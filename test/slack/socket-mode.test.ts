import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import { FakeBackend } from '../../src/model/fake.js';
import type { Envelope } from '../support/fake-slack-socket.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, DM, post, startSocketHarness, type HarnessOptions, type SocketHarness } from './harness.js';

let h: SocketHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A short ping timeout: Socket Mode waits a multiple of it before reconnecting. */
const start = (opts: HarnessOptions = {}) => startSocketHarness({ pingTimeoutMs: 1000, ...opts });
const mention = (h: SocketHarness, text: string, channel = CHANNEL) => post(h.slack, { type: 'app_mention', channel, text: `<@UMUSE> ${text}` });
const buttons = (m: FakeMessage) =>
  (m.blocks?.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> } | undefined)?.elements ?? [];
const modelSaw = (h: SocketHarness) => h.backend.calls.map((c) => c.messages.at(-1)!.content);

/** Waits until Slack has the ack of every envelope, then until Muse has handled them all. */
async function handled(h: SocketHarness, ...envelopes: Envelope[]): Promise<void> {
  await h.slack.waitFor(() => envelopes.every((e) => h.socket.acked(e.envelope_id)));
  await h.bolt.idle();
}

/** Muse's posts (chat.postMessage and chat.startStream calls) into one channel, optionally one thread. */
const posts = (h: SocketHarness, channel: string, threadTs?: string) =>
  [...h.slack.callsOf('chat.postMessage'), ...h.slack.callsOf('chat.startStream')].filter(
    (c) => c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs),
  );

describe('Slack in Socket Mode through the real Bolt app', () => {
  it('opens its connection at SLACK_API_URL with the app token (the bot token only for the Web API)', async () => {
    h = await start();
    const opens = h.slack.callsOf('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.token).toBe('xapp-test');
    expect(h.slack.callsOf('auth.test').map((c) => c.token)).toEqual(['xoxb-test']);
    expect(h.socket.connections).toHaveLength(1);
    expect(h.socket.openConnections).toBe(1);
  });

  it('keeps the Web API client’s retry policy (the socket’s 100 quick retries are for apps.connections.open only)', async () => {
    h = await start();
    const policy = (h.bolt.app.client as unknown as { retryConfig: unknown }).retryConfig;
    expect(policy).toEqual(webApi.retryPolicies.tenRetriesInAboutThirtyMinutes);
  });

  it('answers a mention in a thread under it, acked by envelope id', async () => {
    h = await start();
    const ev = mention(h, 'tell me about a fox');
    const env = h.socket.event(ev);
    await handled(h, env);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('tell me about a fox');
    expect(modelSaw(h)[0]).toContain('Alice: tell me about a fox');
    expect(h.socket.acks.get(env.envelope_id)).toEqual({ envelope_id: env.envelope_id, connection: 1 });
  });

  it('runs a slash command and a click on its button, each acked by envelope id', async () => {
    h = await start();
    const cmd = h.socket.command('/story', 'new a brave fox', { user: ALICE, channel: CHANNEL });
    await handled(h, cmd);
    expect(modelSaw(h)[0]).toContain('Premise: a brave fox');
    const reply = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(buttons(reply).map((b) => decodeAction(b.value))).toEqual(['continue', 'retry', 'undo'].map((sub) => ({ command: { name: 'story', sub } })));

    const click = h.socket.click(buttons(reply)[0]!, { user: BOB, channel: CHANNEL, message: { ts: reply.ts, text: reply.text, blocks: reply.blocks! } });
    await handled(h, click);
    expect(modelSaw(h)[1]).toContain('Bob: Continue the story.');
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(2);
    // The used buttons moved to the new reply.
    expect(buttons(h.slack.museMessages(CHANNEL)[0]!)).toEqual([]);
    expect(buttons(h.slack.museMessages(CHANNEL)[1]!)).toHaveLength(3);
    expect([...h.socket.acks.keys()]).toEqual([cmd.envelope_id, click.envelope_id]);
  });
});

describe('Slack in Socket Mode across reconnects', () => {
  it('a mention, a command and a click arriving just before a disconnect (refresh_requested) are each answered once', async () => {
    h = await start();
    const story = h.socket.command('/story', 'new a lighthouse keeper', { user: ALICE, channel: CHANNEL });
    await handled(h, story);
    const reply = h.slack.museMessages(CHANNEL).at(-1)!;
    const ev = mention(h, 'a riddle please', 'CRIDDLES');
    let sent: Envelope[] = [];
    // Slack recycles the connection right after sending these: the client reads the disconnect
    // before it can ack any of them.
    h.socket.together(() => {
      sent = [
        h!.socket.event(ev),
        h!.socket.command('/poem', 'the tide form:free', { user: BOB, channel: DM }),
        h!.socket.click(buttons(reply)[0]!, { user: BOB, channel: CHANNEL, message: { ts: reply.ts, text: reply.text, blocks: reply.blocks! } }),
      ];
      h!.socket.disconnect('refresh_requested');
    });
    const [event, poem, click] = sent as [Envelope, Envelope, Envelope];
    // The event comes again on the new connection; the command and the click do not (Slack does not retry them).
    await h.slack.waitFor(() => h!.socket.connections.length >= 2 && h!.socket.acked(event.envelope_id));
    await h.slack.waitFor(() => posts(h!, CHANNEL).length >= 2 && posts(h!, DM).length >= 1);
    await h.bolt.idle();
    expect(h.socket.connections[0]!.closed).toEqual({ code: 1000, by: 'client' });
    expect(h.socket.deliveriesOf(event.envelope_id).map((d) => d.envelope.retry_attempt)).toEqual([0, 1]);
    expect(h.socket.acks.get(event.envelope_id)!.connection).toBeGreaterThan(1);
    expect(h.socket.acked(poem.envelope_id) || h.socket.acked(click.envelope_id)).toBe(false);

    expect(posts(h, 'CRIDDLES', ev.ts)).toHaveLength(1);
    expect(posts(h, DM)).toHaveLength(1);
    expect(posts(h, CHANNEL)).toHaveLength(2); // the story's first beat, then the one the click continued
    expect(h.backend.calls).toHaveLength(4);
    expect(modelSaw(h).filter((t) => t.includes('a riddle please'))).toHaveLength(1);
    expect(modelSaw(h).filter((t) => t.includes('Continue the story.'))).toHaveLength(1);
  });

  it('an event whose ack was lost with the socket comes again (retry_attempt 1) and is answered once', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    h = await start({ backend: new FakeBackend().push({ parts: ['The fox ', 'ran on.'], after: slow }) });
    const ev = mention(h, 'a fox in the snow');
    const env = h.socket.event(ev);
    h.socket.loseAckOf(env.envelope_id);
    // Slack never got the ack, so it delivers the event again once the client is back, while the
    // first reply is still being written.
    await h.slack.waitFor(() => h!.socket.acked(env.envelope_id));
    expect(h.socket.lostAcks).toEqual([env.envelope_id]);
    expect(h.socket.ackLog.map((a) => [a.envelope_id, a.connection])).toEqual([[env.envelope_id, 2]]);
    expect(h.socket.connections[0]!.closed).toEqual({ code: 1006, by: 'abrupt' });
    const again = h.socket.deliveriesOf(env.envelope_id);
    expect(again.map((d) => [d.connection, d.envelope.retry_attempt, d.envelope.retry_reason])).toEqual([
      [1, 0, ''],
      [2, 1, 'timeout'],
    ]);
    release();
    await h.bolt.idle();
    expect(h.backend.calls).toHaveLength(1);
    expect(posts(h, CHANNEL, ev.ts)).toHaveLength(1);
    expect(h.slack.museMessages(CHANNEL, ev.ts).map((m) => m.text)).toEqual(['The fox ran on.']);
  });

  it.each([
    ['closed abruptly', (h: SocketHarness) => h.socket.drop()],
    ['closed after a disconnect warning', async (h: SocketHarness) => h.socket.disconnect('warning')],
  ])('an envelope sent while the socket is %s waits for the new connection and is answered once', async (_how, close) => {
    h = await start();
    await close(h);
    await h.slack.waitFor(() => h!.socket.openConnections === 0);
    const ev = mention(h, 'are you there?');
    const env = h.socket.event(ev);
    expect(h.socket.deliveriesOf(env.envelope_id)).toEqual([]);
    await handled(h, env);
    expect(h.socket.deliveriesOf(env.envelope_id).map((d) => [d.connection, d.envelope.retry_attempt])).toEqual([[2, 0]]);
    expect(h.slack.callsOf('apps.connections.open')).toHaveLength(2);
    expect(posts(h, CHANNEL, ev.ts)).toHaveLength(1);
    expect(h.backend.calls).toHaveLength(1);
  });

  it('stopping closes the socket before it returns', async () => {
    h = await start();
    await h.bolt.stop();
    // Muse's close frame has reached Slack and been answered by the time stop() returns.
    expect(h.socket.openConnections).toBe(0);
    await h.slack.waitFor(() => h!.socket.connections[0]!.closed !== undefined);
    expect(h.socket.connections).toEqual([{ id: 1, closed: { code: 1000, by: 'client' } }]);
    expect(h.slack.callsOf('apps.connections.open')).toHaveLength(1);
  });
});
