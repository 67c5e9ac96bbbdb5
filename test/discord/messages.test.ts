import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('discord messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends a message and waits until Muse's handling of it has finished. */
  async function say(opts: Parameters<Harness['fake']['say']>[0], answered = true) {
    const before = h.fake.requests.length;
    const sent = h.fake.say(opts);
    if (answered) await h.fake.waitForRequest((r) => h.fake.requests.indexOf(r) >= before && r.method === 'POST' && r.path.endsWith('/messages'));
    await h.discord.idle();
    return sent;
  }

  it("answers a mention in a guild channel as a reply, with the speaker's display name in the turn", async () => {
    h.backend.push('The lantern flickers, Alice.');
    const asked = await say({ content: `<@${h.fake.bot.id}> I light the lantern`, mentionsBot: true });
    const reply = h.fake
      .messagesIn(h.fake.channelId)
      .filter((m) => m.author.id === h.fake.bot.id)
      .at(-1)!;
    expect(reply.message_reference.message_id).toBe(asked.id);
    expect(reply.content).toBe('The lantern flickers, Alice.');
    expect(h.backend.lastCall!.messages.at(-1)!.content).toBe('Alice: I light the lantern');
  });

  it('ignores channel messages that neither mention Muse nor reply to it', async () => {
    const calls = h.backend.calls.length;
    const before = h.fake.requests.length;
    await say({ content: 'just chatting' }, false);
    // A mention after it is answered; the plain message before it is not.
    h.backend.push('Noted.');
    await say({ content: `<@${h.fake.bot.id}> hello`, mentionsBot: true });
    expect(h.backend.calls.length).toBe(calls + 1);
    expect(h.fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(1);
  });

  it("a reply to one of Muse's messages continues the conversation without a new mention", async () => {
    const museMessage = h.fake
      .messagesIn(h.fake.channelId)
      .filter((m) => m.author.id === h.fake.bot.id)
      .at(-1)!;
    h.backend.push('The shadows retreat.');
    const asked = await say({ content: 'I raise it high', user: h.fake.bob, replyTo: museMessage });
    const reply = h.fake.messagesIn(h.fake.channelId).at(-1)!;
    expect(reply.message_reference.message_id).toBe(asked.id);
    expect(reply.content).toBe('The shadows retreat.');
    const sent = h.backend.lastCall!.messages.map((m) => m.content);
    expect(sent.at(-1)).toBe('Bob: I raise it high');
    expect(sent).toContain('Alice: I light the lantern');
  });

  it('every DM message is a turn, answered in the DM', async () => {
    h.backend.push('Hello in private.');
    await say({ content: 'hi muse', dm: true, user: h.fake.bob });
    const dm = h.fake.dmWith(h.fake.bob.id)!;
    const reply = h.fake.messagesIn(dm).filter((m) => m.author.id === h.fake.bot.id);
    expect(reply.map((m) => m.content)).toEqual(['Hello in private.']);
    expect(reply[0]!.message_reference).toBeUndefined();
    expect(h.backend.lastCall!.messages.at(-1)!.content).toBe('Bob: hi muse');
  });

  it('model output with @everyone, @here, role and user mentions pings no one', async () => {
    const loud = `@everyone @here <@&${h.fake.managerRoleId}> <@${h.fake.alice.id}> wake up!`;
    h.backend.push(loud);
    await say({ content: `<@${h.fake.bot.id}> shout`, mentionsBot: true });
    const last = h.fake.messagePayloads().filter((p) => p.body.content === loud);
    expect(last.length).toBeGreaterThan(0);
    for (const p of h.fake.messagePayloads()) expect(p.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
