import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, runInteraction } from './harness.js';

/** The real /lore import with a file picked in Discord: downloaded from the (fake) CDN, imported, listed. */
const WORLD = readFileSync(new URL('../fixtures/worldinfo/harbor-town.json', import.meta.url));

const run = runInteraction;

describe('discord: /lore import with an attached file (real lore command)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registers the file option as an attachment and imports the World Info file', async () => {
    const { toDiscordCommands } = await import('../../src/adapters/discord/commands.js');
    const lore = toDiscordCommands(h.engine.commands).find((c) => c.name === 'lore')!;
    const sub = (lore.options as any[]).find((o) => o.name === 'import');
    expect(sub.options.find((o: any) => o.name === 'file')).toMatchObject({ type: 11 });

    const { replies } = await run(h, () =>
      h.fake.slash({
        name: 'lore',
        subcommand: 'import',
        attachments: { file: { name: 'harbor-town.json', contentType: 'application/json', content: WORLD } },
      }),
    );
    expect(replies.map((r) => r.content)).toEqual([expect.stringMatching(/^Imported \d+ lore entr(y|ies) from harbor-town\.json/)]);
    const { replies: list } = await run(h, () => h.fake.slash({ name: 'lore', subcommand: 'list' }));
    expect(list[0]!.content).toContain('Ember');
  });

  it('checks a command before it takes its files: a refused /persona import downloads nothing', async () => {
    const card = readFileSync(new URL('../fixtures/cards/kai-v3.json', import.meta.url));
    const downloads = h.fake.downloads.length;
    const { deferral, replies } = await run(h, () =>
      h.fake.slash({
        name: 'persona',
        subcommand: 'import',
        user: h.fake.bob,
        attachments: { file: { name: 'kai.json', contentType: 'application/json', content: card } },
      }),
    );
    expect(deferral.body.data.flags & 64).toBe(64);
    expect(replies.map((r) => r.content)).toEqual(['⚠️ Only people who can manage this channel may use /persona import here.']);
    expect(h.fake.downloads).toHaveLength(downloads);
  });

  it('a member without Manage Channels may not import lore in a server: refused before the file is downloaded', async () => {
    const downloads = h.fake.downloads.length;
    const { deferral, replies } = await run(h, () =>
      h.fake.slash({
        name: 'lore',
        subcommand: 'import',
        user: h.fake.bob,
        attachments: { file: { name: 'harbor-town.json', contentType: 'application/json', content: WORLD } },
      }),
    );
    expect(deferral.body.data.flags & 64).toBe(64);
    expect(replies.map((r) => r.content)).toEqual(['⚠️ Only people who can manage this channel may use /lore import here.']);
    expect(h.fake.downloads).toHaveLength(downloads);
  });

  it('checks a command before it opens its thread: a story with an unknown narrator gets a private sentence and no thread', async () => {
    const threads = h.fake.requests.filter((r) => r.path.endsWith('/threads')).length;
    const { deferral, replies } = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'A fox', persona: 'ghost' } }));
    expect(deferral.body.data.flags & 64).toBe(64);
    expect(replies.map((r) => r.content)).toEqual([expect.stringMatching(/^⚠️ There is no persona "ghost"\. Available: /)]);
    expect(h.fake.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(threads);
    expect(h.backend.calls).toHaveLength(0);
  });
});
