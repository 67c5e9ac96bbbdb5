import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, type Stored } from '../support/fake-discord.js';
import { freePort, MuseProcess, sample } from '../support/muse-process.js';

/**
 * Two Muse processes in the gateway role, as shards 0 and 1 of 2, against one fake Discord that
 * routes like Discord: a guild's events to shard (guild_id >> 22) % 2, DMs to shard 0.
 */
describe('Discord sharding across two gateway processes', () => {
  let fake: FakeDiscord;
  const shards: Array<{ process: MuseProcess; port: number }> = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    for (const shard of [0, 1]) {
      const port = await freePort();
      const process = new MuseProcess(['--role', 'gateway'], {
        DISCORD_TOKEN: fake.token,
        DISCORD_API_URL: fake.apiUrl,
        MUSE_STORE_URL: globalThis.process.env.MUSE_TEST_REDIS_URL!,
        MUSE_MODEL: 'fake',
        MUSE_SHARD_COUNT: '2',
        MUSE_SHARDS: String(shard),
        PORT: String(port),
      });
      shards.push({ process, port });
    }
    await Promise.all(shards.map((s) => s.process.waitForLog('muse is running')));
  });

  afterAll(async () => {
    for (const s of shards) s.process.kill('SIGTERM');
    const exits = await Promise.all(shards.map((s) => s.process.exited));
    await fake?.close();
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
  });

  const metrics = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

  it('each process identifies as its own shard, and every mention and DM is answered exactly once, by the shard that owns it', async () => {
    expect(fake.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const a = fake.addGuild({ shard: [0, 2] });
    const b = fake.addGuild({ shard: [1, 2] });
    // Each process learns of its new guild (GUILD_CREATE goes to the owning shard only).
    await fake.until(() => fake.gateway.routed.filter((r) => r.t === 'GUILD_CREATE').length === 2);
    expect(fake.gateway.routed.filter((r) => r.t === 'GUILD_CREATE').map((r) => r.shard)).toEqual([0, 1]);

    const bob = fake.bob;
    const sent: Stored[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push(fake.say({ content: `<@${fake.bot.id}> in A number ${i}`, mentionsBot: true, channelId: a.channelId }));
      sent.push(fake.say({ content: `<@${fake.bot.id}> in B number ${i}`, mentionsBot: true, channelId: b.channelId }));
      sent.push(fake.say({ content: `a DM number ${i}`, dm: true, user: i % 2 ? bob : fake.alice }));
    }
    const museMessages = () => [...fake.messages.values()].filter((m) => m.author?.id === fake.bot.id && !m.deleted);
    const repliesTo = (message: Stored) => {
      const words = message.content.replace(/<@\d+>\s*/, '');
      return museMessages().filter((m) => m.channel_id === message.channel_id && m.content.includes(words));
    };
    // Every message answered (the fake model echoes it), and both processes done with their turns.
    await fake.until(() => sent.every((m) => repliesTo(m).length > 0), 30_000);
    const settled = async () => {
      const texts = await Promise.all(shards.map((s) => metrics(s.port)));
      const finished = texts.reduce((n, t) => n + sample(t, 'muse_turns_total{outcome="done"}'), 0);
      const running = texts.reduce((n, t) => n + sample(t, 'muse_turns_in_flight'), 0);
      return finished >= sent.length && running === 0 ? texts : undefined;
    };
    let texts: string[] | undefined;
    for (let i = 0; i < 300 && !(texts = await settled()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts, 'every turn finished').toBeDefined();
    // Shard 0: guild A and the DMs; shard 1: guild B. No turn ran twice.
    expect(texts!.map((t) => sample(t, 'muse_turns_total{outcome="done"}'))).toEqual([6, 3]);
    expect(fake.gateway.routed.filter((r) => r.t === 'MESSAGE_CREATE').map((r) => r.shard)).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0]);
    for (const message of sent) {
      const replies = repliesTo(message);
      expect(
        replies.map((m) => m.content),
        message.content,
      ).toHaveLength(1);
      if (message.guild_id) expect(replies[0]!.message_reference?.message_id).toBe(message.id);
    }
  });
});
