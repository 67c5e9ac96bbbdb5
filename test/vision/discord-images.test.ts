import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANNOT_SEE } from '../../src/engine/images.js';
import { english } from '../../src/i18n/index.js';
import type { ModelCatalog } from '../../src/model/catalog.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { BEAT } from '../story/helpers.js';
import { imageParts, lastContent, PNG, visionModels } from './support.js';

/** Pictures on Discord: message attachments and /story new's image option, fetched from the fake's CDN, reach the fake OpenAI. */
describe('Discord: images in', () => {
  let h: Harness;
  let fake: FakeOpenAI;
  let catalog: ModelCatalog;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const wired = visionModels(fake);
    catalog = wired.catalog;
    h = await startHarness({ models: wired.models });
  });
  afterAll(async () => {
    await h?.close();
    await catalog?.close();
    await fake?.close();
  });

  /** Sends a message and waits until Muse has answered it (a post) and finished. */
  async function say(opts: Parameters<Harness['fake']['say']>[0]) {
    const before = h.fake.requests.length;
    h.fake.say(opts);
    await h.fake.waitForRequest((r) => h.fake.requests.indexOf(r) >= before && r.method === 'POST' && r.path.endsWith('/messages'));
    await h.discord.idle();
    return h.fake.messagesIn(h.fake.channelId).filter((m) => m.author.id === h.fake.bot.id);
  }
  const mention = (content: string) => `<@${h.fake.bot.id}> ${content}`;
  const dot = { name: 'dot.png', contentType: 'image/png', content: PNG };

  it('a mention with a picture: the model that sees gets it as a base64 PNG data URL', async () => {
    fake.reset();
    await say({ content: mention('what is this?'), mentionsBot: true, attachments: [dot] });
    expect(h.fake.downloads.at(-1)).toMatch(/\/cdn\/attachments\/\d+\/dot\.png$/);
    const [asked] = fake.chatRequests;
    expect(asked!.body.model).toBe('eye-1');
    expect(lastContent(asked!.body)).toEqual([
      { type: 'text', text: 'Alice: what is this? [image: dot.png]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
  });

  it('a model that cannot see: the turn goes without the picture, and the reply says so', async () => {
    fake.reset();
    await runCommand('/model', { name: 'text-1' });
    const replies = await say({ content: mention('and this?'), mentionsBot: true, attachments: [dot] });
    expect(fake.chatRequests[0]!.body.model).toBe('text-1');
    expect(imageParts(fake.chatRequests[0]!.body)).toEqual([]);
    expect(replies.at(-1)!.content).toContain(CANNOT_SEE);
    await runCommand('/model', { name: 'eye-1' });
  });

  it('a file that is not a picture, or a picture over 4 MB: one sentence, nothing downloaded, no model call', async () => {
    fake.reset();
    const downloads = h.fake.downloads.length;
    let replies = await say({
      content: mention('read this'),
      mentionsBot: true,
      attachments: [{ name: 'notes.txt', contentType: 'text/plain', content: 'hi' }],
    });
    expect(replies.at(-1)!.content).toContain('"notes.txt" is not a PNG, JPEG, GIF or WebP picture, so nothing was sent.');
    replies = await say({ content: mention('see'), mentionsBot: true, attachments: [{ ...dot, name: 'huge.png', size: 5 * 1024 * 1024 }] });
    expect(replies.at(-1)!.content).toContain('The file "huge.png" is 5 MB; Muse takes files up to 4 MB.');
    expect(h.fake.downloads.length).toBe(downloads);
    // Named a PNG, but its bytes are not a picture: fetched, checked, refused.
    replies = await say({ content: mention('see'), mentionsBot: true, attachments: [{ ...dot, name: 'fake.png', content: 'plain text' }] });
    expect(replies.at(-1)!.content).toContain('"fake.png" is not a PNG, JPEG, GIF or WebP picture, so nothing was sent.');
    expect(fake.chatRequests).toHaveLength(0);
  });

  it("/story new's image option: the picture the story begins from reaches the model", async () => {
    fake.reset();
    await runCommand('/story', { premise: 'a lighthouse', vote: 0 }, 'new', { image: { ...dot, name: 'light.png' } });
    expect(imageParts(fake.chatRequests[0]!.body)).toEqual([{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }]);
  });

  it('a vote typed as "2" with a picture: the vote counts, and the reply says Muse did not look at the picture', async () => {
    fake.reset();
    fake.enqueue({ kind: 'reply', text: BEAT });
    await runCommand('/story', { premise: 'A fox at a fork', vote: 60 }, 'new');
    const threadId = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === 'A fox at a fork')!.id as string;
    // Two players: one vote leaves the window open, so the vote's answer is the whole reply.
    const { token } = h.fake.slash({ name: 'story', subcommand: 'join', user: h.fake.bob, channelId: threadId });
    await h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    await h.discord.idle();
    const calls = fake.chatRequests.length;
    const before = h.fake.requests.length;
    h.fake.say({ content: mention('2'), mentionsBot: true, channelId: threadId, attachments: [dot] });
    await h.fake.waitForRequest((r) => h.fake.requests.indexOf(r) >= before && r.method === 'POST' && r.path.endsWith('/messages'));
    await h.discord.idle();
    const said = h.fake
      .messagesIn(threadId)
      .filter((m) => m.author.id === h.fake.bot.id)
      .at(-1)!;
    expect(said.content).toMatch(/^Alice votes for 2\. Take the right path\./);
    expect(said.content).toContain(english('pictures.unseen'));
    expect(fake.chatRequests.length).toBe(calls);
  });

  async function runCommand(
    name: string,
    options: Record<string, string | number>,
    subcommand?: string,
    attachments?: Record<string, { name: string; contentType: string; content: Buffer }>,
  ) {
    const { token } = h.fake.slash({
      name: name.slice(1),
      options,
      ...(subcommand ? { subcommand } : {}),
      ...(attachments ? { attachments } : {}),
    });
    await h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    await h.discord.idle();
    return h.fake.repliesTo(token);
  }
});
