import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANNOT_SEE } from '../../src/engine/images.js';
import type { ModelCatalog } from '../../src/model/catalog.js';
import { CHANNEL, DM, post, startHarness, type Harness } from '../slack/harness.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { imageParts, JPEG, lastContent, PNG, visionModels } from './support.js';

/** Pictures on Slack: files shared in a DM or with a mention, fetched with the bot token from the fake's file host, reach the fake OpenAI. */
describe('Slack: images in', () => {
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

  const share = (fields: Parameters<typeof post>[1], files: Array<Record<string, unknown>>) =>
    h.event({ ...post(h.slack, fields), subtype: 'file_share', files });

  it('a DM with a picture: the model that sees gets it as a base64 data URL of its type', async () => {
    fake.reset();
    await share({ channel: DM, channel_type: 'im', text: 'what is this?' }, [h.slack.addFile('cat.jpg', JPEG, 'image/jpeg')]);
    expect(h.slack.downloads.at(-1)).toEqual({ path: expect.stringContaining('/download/cat.jpg'), authorized: true });
    expect(lastContent(fake.chatRequests[0]!.body)).toEqual([
      { type: 'text', text: 'Alice: what is this? [image: cat.jpg]' },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${JPEG.toString('base64')}` } },
    ]);
  });

  it('a mention with two pictures, in its thread: both reach the model', async () => {
    fake.reset();
    const files = [h.slack.addFile('a.png', PNG, 'image/png'), h.slack.addFile('b.png', PNG, 'image/png')];
    await share({ type: 'app_mention', channel: CHANNEL, text: `<@${h.slack.botUserId}> compare these` }, files);
    expect(imageParts(fake.chatRequests[0]!.body)).toHaveLength(2);
  });

  it('a model that cannot see: the turn goes without the picture, with the notice', async () => {
    fake.reset();
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/model text-1' }));
    await share({ channel: DM, channel_type: 'im', text: 'and this?' }, [h.slack.addFile('dot.png', PNG, 'image/png')]);
    expect(fake.chatRequests[0]!.body.model).toBe('text-1');
    expect(imageParts(fake.chatRequests[0]!.body)).toEqual([]);
    expect(
      h.slack
        .museMessages(DM)
        .map((m) => JSON.stringify(m))
        .join('\n'),
    ).toContain(CANNOT_SEE);
  });

  it('a picture over 4 MB: one sentence, nothing downloaded, no model call', async () => {
    fake.reset();
    const downloads = h.slack.downloads.length;
    await share({ channel: DM, channel_type: 'im', text: 'look' }, [h.slack.addFile('huge.png', PNG, 'image/png', 5 * 1024 * 1024)]);
    expect(h.slack.downloads.length).toBe(downloads);
    expect(fake.chatRequests).toHaveLength(0);
    expect(h.slack.museMessages(DM).at(-1)!.text).toContain('The file "huge.png" is 5 MB; Muse takes files up to 4 MB.');
  });
});
