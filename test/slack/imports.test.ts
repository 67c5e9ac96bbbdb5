import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, DM, post, startHarness, type Harness } from './harness.js';

/** Slack slash commands cannot carry files: a file posted in a DM with "lore import" is the way. */
const WORLD = readFileSync(new URL('../fixtures/worldinfo/harbor-town.json', import.meta.url));

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('Slack: lore import with a shared file (real lore command)', () => {
  it('imports a World Info file posted in a DM with "lore import", then lists it', async () => {
    h = await startHarness();
    const file = h.slack.addFile('harbor-town.json', WORLD);
    await h.event({ ...post(h.slack, { channel: DM, channel_type: 'im', text: 'lore import' }), subtype: 'file_share', files: [file] });
    expect(h.slack.downloads).toEqual([{ path: expect.any(String), authorized: true }]);
    expect(h.slack.museMessages(DM).at(-1)!.text).toMatch(/^Imported \d+ lore entr(y|ies) from harbor-town\.json/);
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/lore list' }));
    expect(h.slack.museMessages(DM).at(-1)!.text).toContain('Ember');
    expect(h.backend.calls).toHaveLength(0);
  });

  it('without a file, lore import says what to do in one sentence', async () => {
    h = await startHarness();
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/lore import' }));
    const last = h.slack.museMessages(DM).at(-1)!.text;
    expect(last).not.toMatch(/Error|at .*\.ts/);
    expect(last.length).toBeGreaterThan(10);
  });

  it('checks the command before taking its file: a /persona import refused in a channel thread downloads nothing', async () => {
    h = await startHarness();
    const root = post(h.slack, { type: 'app_mention', text: '<@UMUSE> hello' });
    await h.event(root);
    const card = h.slack.addFile('kai.json', readFileSync(new URL('../fixtures/cards/kai-v3.json', import.meta.url)));
    await h.event({ ...post(h.slack, { text: '/persona import', thread_ts: root.ts, user: BOB }), subtype: 'file_share', files: [card] });
    expect(h.slack.downloads).toHaveLength(0);
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)!.args).toMatchObject({
      user: BOB,
      text: 'Only people who can manage this channel may use /persona import here.',
    });
  });
});
