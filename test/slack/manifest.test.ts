import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands, starters } from '../../commands/index.js';
import { BOT_EVENTS, BOT_SCOPES, slackManifestYaml, usageHint } from '../../src/adapters/slack/manifest.js';

describe('Slack app manifest', () => {
  it("writes a group's subcommands in the usage hint as the text form takes them; asks for chat:write.customize (the cast)", () => {
    const run = async function* () {};
    const group = {
      name: 'scene',
      description: 'x',
      subcommands: [
        {
          name: 'cast',
          description: 'x',
          subcommands: [{ name: 'add', description: 'x', options: [{ name: 'name', description: 'x', required: true }], run }],
        },
        { name: 'note', description: 'x', options: [{ name: 'text', description: 'x' }], run },
      ],
    };
    expect(usageHint(group)).toBe('cast add <name> | note [text]');
    expect(BOT_SCOPES).toContain('chat:write.customize');
  });

  it('lists every command from the specs, with usage hints and the HTTP request URLs', () => {
    const m = parse(slackManifestYaml(commands, { url: 'https://muse.example.com/', starters }));
    const slash = m.features.slash_commands as Array<{ command: string; usage_hint?: string; url: string }>;
    expect(slash.map((s) => s.command)).toEqual(['/story', '/poem', '/tutor', '/persona', '/lore', '/memory', '/model', '/language', '/usage', '/muse-help']);
    expect(slash[0]!.usage_hint).toContain('new <premise> [persona]');
    expect(slash.every((s) => s.url === 'https://muse.example.com/slack/events')).toBe(true);
    expect(m.settings.event_subscriptions.request_url).toBe('https://muse.example.com/slack/events');
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://muse.example.com/slack/events' });
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
    expect(m.settings.event_subscriptions.bot_events).toEqual(BOT_EVENTS);
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
    expect(m.features.assistant_view.suggested_prompts).toHaveLength(3);
    // Slack's fields only (a starter's other languages stay Muse's business).
    for (const prompt of m.features.assistant_view.suggested_prompts) expect(Object.keys(prompt).sort()).toEqual(['message', 'title']);
  });

  it('uses Socket Mode and no URLs without --url', () => {
    const m = parse(slackManifestYaml(commands));
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.event_subscriptions.request_url).toBeUndefined();
    expect(m.features.slash_commands[0].url).toBeUndefined();
  });
});
