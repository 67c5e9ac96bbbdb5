import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser, Stored } from '../support/fake-discord.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Gateway faults through the real discord.js client (Muse's startDiscord) against the fake
 * gateway: heartbeats, op 7 RECONNECT, a resumable close, a zombie connection, a stalled link,
 * a session Discord no longer knows, and stop() in the middle of a reconnect. Messages
 * dispatched while the client is away must each be answered exactly once after it comes back.
 */
describe('discord gateway faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ fake: { heartbeatIntervalMs: 300 } });
  });
  afterEach(async () => {
    await h?.close();
  });

  const gateway = () => h.fake.gateway;
  const mention = (text: string, user?: FakeUser) => h.fake.say({ content: `<@${h.fake.bot.id}> ${text}`, mentionsBot: true, ...(user ? { user } : {}) });
  /** A DM from a user of its own, so its DM channel holds this one conversation. */
  const dm = (text: string) => h.fake.say({ content: text, dm: true, user: h.fake.addUser(`u${h.fake.requests.length}`, 'Dana') });
  const posts = (channelId: string) => h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);

  /** Muse posted exactly one reply to each message (the reply to a mention references it), and asked the model once for each. */
  function expectAnsweredOnce(messages: Stored[]) {
    for (const asked of messages) {
      const replies = asked.guild_id ? posts(asked.channel_id).filter((r) => r.body?.message_reference?.message_id === asked.id) : posts(asked.channel_id);
      expect(replies, `replies to "${asked.content}"`).toHaveLength(1);
      const turns = h.backend.calls.filter((c) => c.messages.at(-1)!.content.endsWith(`: ${asked.content.replace(/^<@\d+> /, '')}`));
      expect(turns, `model calls for "${asked.content}"`).toHaveLength(1);
    }
  }

  /** Waits until Muse has answered each message (a POST that replies to it) and has finished handling events. */
  async function answered(messages: Stored[]) {
    await h.fake.until(() => messages.every((m) => posts(m.channel_id).some((r) => !m.guild_id || r.body?.message_reference?.message_id === m.id)));
    await h.discord.idle();
  }

  /**
   * Answers a mention, runs a fault, dispatches a mention and a DM while the session is away,
   * waits for the client to come back, then serves one more mention (the gateway delivers in
   * order, so anything replayed twice would have arrived before it). Each of these is answered
   * exactly once. Returns what was sent in the gap.
   */
  async function messagesDuringGap(fault: () => Promise<void> | void, back: () => boolean) {
    const before = mention('before the storm');
    await answered([before]);
    await fault();
    const gap = [mention('I light the lantern in the dark'), dm('are you still there?')];
    await h.fake.until(back, 20_000);
    const after = mention('and now?', h.fake.bob);
    await answered([...gap, after]);
    expectAnsweredOnce([before, ...gap, after]);
    return gap;
  }

  it("heartbeats at HELLO's interval are acknowledged and carry the last sequence number", async () => {
    await h.fake.until(() => gateway().heartbeats.length >= 2);
    expect(h.discord.client.ws.ping).toBeGreaterThanOrEqual(0);
    const asked = mention('a quiet night');
    await answered([asked]);
    const seq = gateway().lastSequence;
    const count = gateway().heartbeats.length;
    await h.fake.until(() => gateway().heartbeats.length > count);
    expect(gateway().heartbeats.at(-1)).toBe(seq);
  });

  it('op 7 RECONNECT: discord.js resumes at resume_gateway_url, and messages from the gap are answered once', async () => {
    const identifies = gateway().identifies.length;
    const resumes = gateway().resumes.length;
    const gap = await messagesDuringGap(
      async () => {
        gateway().requestReconnect();
        await h.fake.until(() => gateway().connectedSessions === 0);
      },
      () => gateway().resumes.length > resumes,
    );
    expect(gateway().resumes).toHaveLength(resumes + 1);
    expect(gateway().identifies).toHaveLength(identifies);
    expect(gateway().connections.at(-1)).toMatch(/^\/resume\?/);
    expect(gateway().replayed.map((r) => r.d?.id)).toEqual(expect.arrayContaining(gap.map((m) => m.id)));
  });

  it('a resumable close (4000): discord.js resumes, and messages from the gap are answered once', async () => {
    const identifies = gateway().identifies.length;
    const resumes = gateway().resumes.length;
    const gap = await messagesDuringGap(
      () => gateway().closeResumable(4000),
      () => gateway().resumes.length > resumes,
    );
    expect(gateway().resumes).toHaveLength(resumes + 1);
    expect(gateway().identifies).toHaveLength(identifies);
    expect(gateway().replayed.map((r) => r.d?.id)).toEqual(expect.arrayContaining(gap.map((m) => m.id)));
  });

  it('a zombie connection (no heartbeat ACKs): discord.js reconnects and resumes, and messages from the gap are answered once', async () => {
    await h.fake.until(() => gateway().heartbeats.length >= 1);
    const identifies = gateway().identifies.length;
    const resumes = gateway().resumes.length;
    const gap = await messagesDuringGap(
      () => gateway().stopAckingHeartbeats(),
      () => gateway().resumes.length > resumes,
    );
    expect(gateway().resumes).toHaveLength(resumes + 1);
    expect(gateway().identifies).toHaveLength(identifies);
    expect(gateway().replayed.map((r) => r.d?.id)).toEqual(expect.arrayContaining(gap.map((m) => m.id)));
  });

  it('a link that stalls and recovers before discord.js gives up: late ACK, held messages answered once, no reconnect', async () => {
    const identifies = gateway().identifies.length;
    const connections = gateway().connections.length;
    await h.fake.until(() => gateway().heartbeats.length >= 1);
    gateway().stopAckingHeartbeats();
    const held = mention('is the line dead?');
    const beats = gateway().heartbeats.length;
    await h.fake.until(() => gateway().heartbeats.length > beats);
    // One heartbeat went unacknowledged and the mention never reached the client.
    expect(posts(h.fake.channelId)).toHaveLength(0);
    gateway().resumeAckingHeartbeats();
    await answered([held]);
    expectAnsweredOnce([held]);
    expect(gateway().connections).toHaveLength(connections);
    expect(gateway().identifies).toHaveLength(identifies);
    expect(gateway().resumes).toHaveLength(0);
  });

  it('a session Discord no longer knows: the resume gets INVALID_SESSION, discord.js identifies again and keeps serving', async () => {
    const identifies = gateway().identifies.length;
    gateway().expireSessions();
    await h.fake.until(() => gateway().identifies.length > identifies && gateway().connectedSessions === 1, 20_000);
    expect(gateway().rejectedResumes).toHaveLength(1);
    expect(gateway().resumes).toHaveLength(0);
    const asked = [mention('are you back?'), dm('hello again')];
    await answered(asked);
    expectAnsweredOnce(asked);
  });

  it('stop() closes the gateway connection and ends the session', async () => {
    await h.discord.stop();
    await h.fake.until(() => gateway().openConnections === 0);
    expect(gateway().liveSessions).toBe(0);
  });

  it('stop() while discord.js waits to reconnect: what was missed is answered, then no connection is left behind', async () => {
    gateway().closeResumable(4000);
    const missed = mention('one last thing');
    // The socket is gone and the client is pausing before its RESUME: stop now.
    await h.fake.until(() => gateway().openConnections === 0);
    await h.discord.stop();
    expectAnsweredOnce([missed]);
    // Closed with 1000 (Discord then forgets the session) and nothing reconnects afterwards.
    await h.fake.until(() => gateway().openConnections === 0 && gateway().liveSessions === 0);
  });
});
