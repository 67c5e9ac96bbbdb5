import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type DiscordHandle } from '../../src/adapters/discord/start.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { makeEngine, type TestEngine } from '../support/engine.js';
import { FakeDiscord } from '../support/fake-discord.js';

const redisUrl = process.env.MUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two Muse processes on one Redis, both connected to the gateway (each gets every event). */
describe('discord: two processes on one store', () => {
  let fake: FakeDiscord;
  const procs: Array<{ t: TestEngine; store: ConversationStore; discord: DiscordHandle }> = [];
  beforeAll(async () => {
    fake = await FakeDiscord.start();
    const namespace = `muse-discord-${randomUUID().slice(0, 8)}`;
    for (const name of ['A', 'B']) {
      const store = await openStore(redisUrl, { namespace });
      const t = await makeEngine({ store, backend: new FakeBackend({ fallback: `Answered by ${name}.` }) });
      const discord = await startDiscord({ engine: t.engine, token: fake.token, apiUrl: fake.apiUrl, log: pino({ level: 'silent' }), editIntervalMs: 15 });
      procs.push({ t, store, discord });
    }
  });
  afterAll(async () => {
    for (const p of procs) {
      await p.discord.stop();
      await p.t.engine.idle();
      await p.store.close();
    }
    await fake?.close();
  });

  it('answers a message both receive once', async () => {
    const asked = fake.say({ content: `<@${fake.bot.id}> who answers?`, mentionsBot: true });
    await fake.until(() => fake.messagesIn(fake.channelId).some((m) => m.author.id === fake.bot.id && m.message_reference?.message_id === asked.id));
    for (const p of procs) await p.discord.idle();
    const answers = fake.messagesIn(fake.channelId).filter((m) => m.author.id === fake.bot.id);
    expect(answers.map((m) => m.content)).toHaveLength(1);
    expect(procs.reduce((n, p) => n + p.t.backend.calls.length, 0)).toBe(1);
  });
});
