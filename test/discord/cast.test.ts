import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PERMS, P, type Stored } from '../support/fake-discord.js';
import { startHarness, type Harness, runInteraction } from './harness.js';
import { WRITING_MARKER } from '../../src/adapters/discord/render.js';

/** A story's cast on Discord: lines through the channel's "Muse cast" webhook, or one message with bold names. */
const SCENE = 'The inn is quiet tonight.\nMira: "Welcome, traveller. @everyone, a guest!"\nThe fire cracks.\nOld Tom: “Aye, sit.”\n\n1. Sit down\n2. Leave';
const run = runInteraction;
const publicIn = (h: Harness, channelId: string): Stored[] => h.fake.messagesIn(channelId).filter((m) => !(m.flags & 64));

describe('discord: a story cast speaking as themselves', () => {
  let h: Harness;
  let threadId: string;
  beforeAll(async () => {
    h = await startHarness();
    h.backend.push('The inn waits.\n\n1. Enter\n2. Leave');
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'The last inn' } }));
    threadId = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === 'The last inn')!.id as string;
    const add = await run(h, () =>
      h.fake.slash({ name: 'story', subcommand: 'cast add', channelId: threadId, options: { name: 'Mira', avatar: 'https://cdn.example.com/mira.png' } }),
    );
    expect(add.replies.at(-1)!.content).toMatch(/^Mira joins the cast with their avatar\./);
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'cast add', channelId: threadId, options: { name: 'Old Tom' } }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts each cast line through one webhook on the parent channel, in the thread, under the name and avatar, pinging no one', async () => {
    h.backend.push(SCENE);
    const before = publicIn(h, threadId).length;
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId }));
    const shown = publicIn(h, threadId).slice(before);
    expect(shown.map((m) => [m.webhook_id && m.author.username !== 'Muse' ? m.author.username : 'Muse', m.content])).toEqual([
      ['Muse', 'The vote is cancelled: Alice moved the story on.\n\nThe inn is quiet tonight.'],
      ['Mira', '"Welcome, traveller. @everyone, a guest!"'],
      ['Muse', 'The fire cracks.'],
      ['Old Tom', '“Aye, sit.”'],
      ['Muse', '1. Sit down\n2. Leave'],
    ]);
    const executes = h.fake.requests.filter((r) => r.method === 'POST' && /^\/webhooks\/\d+\/hook-/.test(r.path));
    expect(executes.map((r) => [r.body.username, r.body.avatar_url, r.query.get('thread_id')])).toEqual([
      ['Mira', 'https://cdn.example.com/mira.png', threadId],
      ['Old Tom', undefined, threadId],
    ]);
    expect(executes.every((r) => JSON.stringify(r.body.allowed_mentions) === JSON.stringify({ parse: [] }))).toBe(true);
    // The buttons are under Muse's last message.
    expect(shown.at(-1)!.components.length).toBeGreaterThan(0);
    const created = h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${h.fake.channelId}/webhooks`);
    expect(created.map((r) => r.body.name)).toEqual(['Muse cast']);
  });

  it('reuses the webhook for the next scene', async () => {
    h.backend.push('Mira: "Again?"\nThe night goes on.');
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId }));
    expect(h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/webhooks'))).toHaveLength(1);
    expect(h.fake.webhooks.hooks.size).toBe(1);
    const last = publicIn(h, threadId).slice(-2);
    expect(last.map((m) => m.content)).toEqual(['"Again?"', 'The night goes on.']);
  });

  it('a scene that opens with a cast line leaves no lone marker: the placeholder goes, the line and the narration follow in order', async () => {
    h.backend.push('Mira: "Who knocks?"\nThe door creaks.');
    const before = publicIn(h, threadId).length;
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId }));
    const shown = publicIn(h, threadId).slice(before);
    expect(shown.map((m) => [m.webhook_id && m.author.username !== 'Muse' ? m.author.username : 'Muse', m.content])).toEqual([
      ['Mira', '"Who knocks?"'],
      ['Muse', 'The door creaks.'],
    ]);
    expect(shown.at(-1)!.components.length).toBeGreaterThan(0);
  });

  it('a scene that opens with a cast line in answer to a message: the "writing…" marker goes, no lone 🎭', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.backend.push({ parts: ['Old Tom: “Who’s there?”\nThe wind answers.'], after: gate });
    const before = publicIn(h, threadId).length;
    const ours = () =>
      publicIn(h, threadId)
        .slice(before)
        .filter((m) => m.webhook_id || m.author.id === h.fake.bot.id);
    h.fake.say({ content: `<@${h.fake.bot.id}> /story continue`, mentionsBot: true, channelId: threadId });
    await h.fake.until(() => ours().some((m) => m.content.includes(WRITING_MARKER)), 10_000);
    release();
    await h.fake.until(() => ours().some((m) => m.content === 'The wind answers.'), 10_000);
    await h.discord.idle();
    const shown = ours();
    expect(shown.map((m) => [m.webhook_id ? m.author.username : 'Muse', m.content])).toEqual([
      ['Old Tom', '“Who’s there?”'],
      ['Muse', 'The wind answers.'],
    ]);
  });

  it('without Manage Webhooks the scene is one message with bold names, and no webhook is called', async () => {
    const calls = h.fake.requests.length;
    h.backend.push(SCENE);
    const before = publicIn(h, threadId).length;
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId, appPermissions: APP_PERMS & ~P.ManageWebhooks }));
    const shown = publicIn(h, threadId).slice(before);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.content).toBe(
      'The inn is quiet tonight.\n**Mira:** "Welcome, traveller. @everyone, a guest!"\nThe fire cracks.\n**Old Tom:** “Aye, sit.”\n\n1. Sit down\n2. Leave',
    );
    expect(h.fake.requests.slice(calls).some((r) => r.path.includes('/webhooks/') && !r.path.includes('/interactions/') && /hook-/.test(r.path))).toBe(false);
  });

  it('when a webhook call fails, the rest of the scene is one message with bold names; the next scene makes the webhook again', async () => {
    h.fake.webhooks.failExecute = 404;
    h.backend.push('Night falls.\nMira: "Hush."\nOld Tom: "Aye."\nThe end.');
    const before = publicIn(h, threadId).length;
    try {
      await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId }));
    } finally {
      h.fake.webhooks.failExecute = undefined;
    }
    const shown = publicIn(h, threadId).slice(before);
    expect(shown).toHaveLength(2);
    expect(shown[0]!.content.endsWith('Night falls.')).toBe(true);
    expect(shown[1]!.content).toBe('**Mira:** "Hush."\n**Old Tom:** "Aye."\nThe end.');
    h.fake.webhooks.hooks.clear();
    h.backend.push('Mira: "Morning."');
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'continue', channelId: threadId }));
    expect(h.fake.webhooks.hooks.size).toBe(1);
    // The line, then Muse's buttons under it (the deferred reply above the line was removed).
    const [line, next] = publicIn(h, threadId).slice(-2);
    expect(line!.author.username).toBe('Mira');
    expect([next!.content, next!.components.length > 0]).toEqual(['What next?', true]);
  });
});
