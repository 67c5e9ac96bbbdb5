import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { toDiscordCommands } from '../../src/adapters/discord/commands.js';
import { deployCommands, inviteUrl } from '../../src/adapters/discord/deploy.js';
import { FakeDiscord } from '../support/fake-discord.js';

describe('discord application commands', () => {
  const body = toDiscordCommands(commands);
  const byName = (name: string) => body.find((c) => c.name === name)!;

  it('has one command per spec with subcommands, typed options and zh-CN localizations', () => {
    expect(body.map((c) => c.name)).toEqual(['story', 'poem', 'tutor', 'persona', 'lore', 'memory', 'model', 'language', 'usage', 'help']);
    expect(byName('usage').name_localizations).toEqual({ 'zh-CN': '用量' });
    const story = byName('story');
    expect(story.name_localizations).toEqual({ 'zh-CN': '故事' });
    expect(story.description_localizations?.['zh-CN']).toBe('一起讲一个互动故事');
    const sub = (story.options as any[]).find((o) => o.name === 'new');
    expect(sub).toMatchObject({ type: 1, name_localizations: { 'zh-CN': '新故事' } });
    // The required option first, then the optional ones (the story options may grow).
    expect(sub.options.slice(0, 2).map((o: any) => [o.name, o.type, o.required])).toEqual([
      ['premise', 3, true],
      ['persona', 3, false],
    ]);
    expect(sub.options.slice(1).every((o: any) => o.required === false)).toBe(true);
    expect(sub.options[1].autocomplete).toBe(true);
    expect(sub.options[0].max_length).toBe(1000);
  });

  it('nests /story cast add|list|remove as a subcommand group', () => {
    const group = (byName('story').options as any[]).find((o) => o.name === 'cast');
    expect(group).toMatchObject({ type: 2, name_localizations: { 'zh-CN': '角色表' } });
    expect(group.options.map((o: any) => [o.name, o.type])).toEqual([
      ['add', 1],
      ['list', 1],
      ['remove', 1],
    ]);
    expect(group.options[0].options.map((o: any) => [o.name, o.required])).toEqual([
      ['name', true],
      ['persona', false],
      ['avatar', false],
    ]);
  });

  it('rejects groups Discord would refuse: more than 25 subcommands, a repeated name, a long description', () => {
    const sub = (name: string) => ({ name, description: 'x', options: [], run: async function* () {} });
    const many = Array.from({ length: 26 }, (_, i) => sub(`s${i}`));
    expect(() => toDiscordCommands([{ name: 'big', description: 'x', subcommands: [{ name: 'g', description: 'x', subcommands: many }] }])).toThrow(
      '/big g has 26 options or subcommands; Discord allows at most 25.',
    );
    expect(() =>
      toDiscordCommands([{ name: 'two', description: 'x', subcommands: [sub('a'), { name: 'a', description: 'x', subcommands: [sub('b')] }] }]),
    ).toThrow('/two has two options or subcommands named "a".');
    expect(() =>
      toDiscordCommands([{ name: 'long', description: 'x', subcommands: [{ name: 'g', description: 'x'.repeat(101), subcommands: [sub('b')] }] }]),
    ).toThrow('/long g: the description must be 1 to 100 characters (it has 101).');
    expect(() =>
      toDiscordCommands([{ name: 'bad', description: 'x', subcommands: [{ name: 'Cast List', description: 'x', subcommands: [sub('b')] }] }]),
    ).toThrow(/not a valid Discord command name/);
  });

  it('offers poem forms as choices with Chinese labels', () => {
    const form = (byName('poem').options as any[]).find((o) => o.name === 'form');
    expect(form.choices.map((c: any) => c.value)).toEqual(['free', 'haiku', 'tanka', 'limerick', 'sonnet', 'jueju5', 'jueju7']);
    expect(form.choices[1]).toEqual({ name: 'Haiku (5-7-5)', value: 'haiku', name_localizations: { 'zh-CN': '俳句' } });
  });

  it('rejects names Discord would refuse', () => {
    expect(() => toDiscordCommands([{ name: 'Story Time', description: 'x', options: [], run: async function* () {} }])).toThrow(
      /not a valid Discord command name/,
    );
  });

  describe('deploy', () => {
    let fake: FakeDiscord;
    beforeAll(async () => {
      fake = await FakeDiscord.start();
    });
    afterAll(async () => {
      await fake.close();
    });

    it('registers for the guild when set, reading the application id from the API', async () => {
      const result = await deployCommands({ token: fake.token, commands, guildId: '123456789012345678', apiUrl: fake.apiUrl });
      expect(result).toMatchObject({ applicationId: fake.appId, scope: 'guild' });
      expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/applications/@me')).toBe(true);
      const put = fake.commandRegistrations.at(-1)!;
      expect(put).toMatchObject({ scope: 'guild', guildId: '123456789012345678' });
      expect(put.body).toEqual(JSON.parse(JSON.stringify(body)));
    });

    it('registers globally with a given application id', async () => {
      const before = fake.requests.length;
      const result = await deployCommands({ token: fake.token, commands, applicationId: fake.appId, apiUrl: fake.apiUrl });
      expect(result.scope).toBe('global');
      expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${fake.appId}/commands`]);
    });

    it('fails clearly with a bad token', async () => {
      await expect(deployCommands({ token: 'wrong', commands, apiUrl: fake.apiUrl })).rejects.toMatchObject({ status: 401 });
    });

    it('builds the invite URL with both scopes and the needed permissions', () => {
      const url = new URL(inviteUrl('42'));
      expect(url.searchParams.get('scope')).toBe('bot applications.commands');
      // View Channel, Send Messages, Send in Threads, Create Public Threads, Read History, Attach Files, Embed Links, Manage Webhooks (the cast)
      const bits = (1n << 10n) | (1n << 11n) | (1n << 38n) | (1n << 35n) | (1n << 16n) | (1n << 15n) | (1n << 14n) | (1n << 29n);
      expect(url.searchParams.get('permissions')).toBe(bits.toString());
    });
  });
});
