import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/start.js';
import { startHarness, type Harness } from './harness.js';

describe('discord login', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('discovers the gateway through the REST base and identifies with the minimal intents', () => {
    expect(h.fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot')).toBe(true);
    expect(h.fake.identifies).toHaveLength(1);
    // Guilds | GuildMessages | DirectMessages | MessageContent
    expect(h.fake.identifies[0].intents).toBe((1 << 0) | (1 << 9) | (1 << 12) | (1 << 15));
    expect(h.discord.client.user?.id).toBe(h.fake.bot.id);
    expect(h.discord.client.guilds.cache.get(h.fake.guildId)?.channels.cache.has(h.fake.channelId)).toBe(true);
  });

  it('a wrong token fails with one clear sentence', async () => {
    await expect(startDiscord({ engine: h.engine, token: 'not-the-token', apiUrl: h.fake.apiUrl, log: pino({ level: 'silent' }) })).rejects.toThrow(
      /^Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal/,
    );
  });
});
