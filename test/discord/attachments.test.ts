import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from '../../src/engine/feature.js';
import { subcommand, type CommandSpec } from '../../src/engine/spec.js';
import { withFeatures } from '../support/engine.js';
import { TrapServer } from '../support/trap-server.js';
import { startHarness, runInteraction, type Harness } from './harness.js';

/**
 * The order of things for a Discord command: the plan and the speaker's permission are checked
 * before a thread or a DM is opened and before an attachment is downloaded; an attachment comes
 * only from Discord's CDN (here the fake's, at DISCORD_API_URL's origin), only the one the
 * command takes, and under the one upload limit; and a refused file opens nothing either.
 */
const WORLD = readFileSync(new URL('../fixtures/worldinfo/harbor-town.json', import.meta.url));

/** A test-only command with everything that must wait for the check: a thread, a file, a model call. */
const scene: CommandSpec = {
  name: 'scene',
  description: 'A test scene',
  subcommands: [
    subcommand({
      name: 'new',
      description: 'A scene in a thread, with a file',
      requires: ['manager'],
      placement: 'thread',
      options: [
        { name: 'title', description: 'Title', required: true, rest: true },
        { name: 'file', description: 'A JSON file', type: 'attachment', accept: ['.json'] },
      ],
      async *run({ options, session }) {
        yield* session.reply({ turn: session.userTurn(`Scene: ${options.title} with ${session.attachments[0]?.name ?? 'no file'}`) });
      },
    }),
    subcommand({
      name: 'private',
      description: 'A scene in DMs, with a file',
      requires: ['manager'],
      placement: 'dm',
      options: [{ name: 'file', description: 'A JSON file', type: 'attachment', accept: ['.json'] }],
      async *run({ session }) {
        yield* session.reply({ turn: session.userTurn('A private scene') });
      },
    }),
  ],
};
const sceneFeature: Feature = { name: 'scene', commands: [scene] };

describe('discord: checks before threads, DMs and downloads', () => {
  let h: Harness;
  let trap: TrapServer;
  beforeAll(async () => {
    h = await startHarness({ features: withFeatures(sceneFeature) });
    trap = await new TrapServer().start();
  });
  afterAll(async () => {
    await h?.close();
    await trap?.close();
  });

  const threads = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads')).length;
  const dms = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels').length;
  const file = { name: 'world.json', contentType: 'application/json', content: WORLD };

  /** Runs a slash command and returns what it opened, downloaded and asked the model. */
  async function effects(start: () => { token: string }) {
    const before = { threads: threads(), dms: dms(), downloads: h.fake.downloads.length, calls: h.backend.calls.length };
    const { deferral, replies } = await runInteraction(h, start);
    return {
      private: (deferral.body.data?.flags ?? 0) & 64 ? true : false,
      replies: replies.map((r) => r.content),
      threads: threads() - before.threads,
      dms: dms() - before.dms,
      downloads: h.fake.downloads.length - before.downloads,
      modelCalls: h.backend.calls.length - before.calls,
    };
  }

  it('a permitted command downloads its file, opens its thread and calls the model (the control case)', async () => {
    h.backend.push('The curtain rises.');
    const seen = await effects(() => h.fake.slash({ name: 'scene', subcommand: 'new', options: { title: 'Opening night' }, attachments: { file } }));
    expect(seen).toMatchObject({ threads: 1, downloads: 1, modelCalls: 1 });
    expect(h.backend.lastCall!.messages.at(-1)!.content).toContain('Scene: Opening night with world.json');
  });

  it('a member without the right gets a private sentence: no thread, no download, no model call', async () => {
    const seen = await effects(() =>
      h.fake.slash({ name: 'scene', subcommand: 'new', user: h.fake.bob, options: { title: 'Not mine' }, attachments: { file } }),
    );
    expect(seen).toEqual({
      private: true,
      replies: ['⚠️ Only people who can manage this channel may use /scene new here.'],
      threads: 0,
      dms: 0,
      downloads: 0,
      modelCalls: 0,
    });
  });

  it('a refused command that would move to DMs opens no DM and downloads nothing', async () => {
    const seen = await effects(() => h.fake.slash({ name: 'scene', subcommand: 'private', user: h.fake.bob, attachments: { file } }));
    expect(seen).toMatchObject({ private: true, dms: 0, downloads: 0, modelCalls: 0 });
  });

  it('an attachment whose URL is not Discord’s is never fetched: no thread, no model call', async () => {
    const seen = await effects(() =>
      h.fake.slash({ name: 'scene', subcommand: 'new', options: { title: 'Elsewhere' }, attachments: { file: { ...file, url: `${trap.origin}/metadata` } } }),
    );
    expect(trap.requests).toEqual([]);
    expect(seen).toMatchObject({
      replies: [`⚠️ Muse takes files only from Discord's own file storage, so "world.json" was not downloaded.`],
      threads: 0,
      downloads: 0,
      modelCalls: 0,
    });
  });

  it('a file of a kind the command does not take is refused before downloading, and opens nothing', async () => {
    const notes = { name: 'notes.txt', contentType: 'text/plain', content: 'notes' };
    const seen = await effects(() => h.fake.slash({ name: 'scene', subcommand: 'new', options: { title: 'Notes' }, attachments: { file: notes } }));
    expect(seen).toMatchObject({
      replies: ['⚠️ /scene new takes a JSON file, and none came with it, so nothing was downloaded.'],
      threads: 0,
      downloads: 0,
      modelCalls: 0,
    });
  });

  it('a file over the one upload limit (8 MB) is refused before downloading, and opens nothing', async () => {
    const seen = await effects(() =>
      h.fake.slash({ name: 'scene', subcommand: 'new', options: { title: 'Big' }, attachments: { file: { ...file, size: 9 * 1024 * 1024 } } }),
    );
    expect(seen).toMatchObject({ replies: ['⚠️ The file "world.json" is 9 MB; Muse takes files up to 8 MB.'], threads: 0, downloads: 0, modelCalls: 0 });
  });

  it('the real /lore import never fetches an attachment URL outside Discord', async () => {
    const seen = await effects(() => h.fake.slash({ name: 'lore', subcommand: 'import', attachments: { file: { ...file, url: `${trap.origin}/internal` } } }));
    expect(trap.requests).toEqual([]);
    expect(seen.replies.join('\n')).not.toContain('127.0.0.1');
    expect(seen.downloads).toBe(0);
  });
});
