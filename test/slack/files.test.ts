import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TrapServer } from '../support/trap-server.js';
import { DM, post, startHarness, type Harness } from './harness.js';

/** Files shared with a command on Slack: only Slack's own file host, only the file the command uses. */
const WORLD = readFileSync(new URL('../fixtures/worldinfo/harbor-town.json', import.meta.url));

let h: Harness;
let trap: TrapServer;
afterEach(async () => {
  await h?.close();
  await trap?.close();
});

/** "lore import" posted in Muse's DM with these files. */
function loreImport(files: Array<Record<string, unknown>>) {
  return { ...post(h.slack, { channel: DM, channel_type: 'im', text: 'lore import' }), subtype: 'file_share', files };
}

function lastDm(): string {
  return h.slack.museMessages(DM).at(-1)!.text;
}

describe('Slack: files shared with a command', () => {
  it('never sends a request (let alone the bot token) to a file URL outside Slack: SSRF and token leak', async () => {
    h = await startHarness();
    trap = await new TrapServer().start();
    const file = {
      ...h.slack.addFile('world.json', WORLD),
      url_private: `${trap.origin}/internal/admin`,
      url_private_download: `${trap.origin}/internal/admin`,
    };
    await h.event(loreImport([file]));
    expect(trap.requests).toEqual([]);
    expect(lastDm()).toBe(`:warning: Muse takes files only from Slack's own file storage, so "world.json" was not downloaded.`);
    expect(lastDm()).not.toContain('127.0.0.1');
    expect(h.backend.calls).toHaveLength(0);
  });

  it("follows no redirect from Slack's file host to another host, and the token stays with Slack", async () => {
    h = await startHarness();
    trap = await new TrapServer().start();
    const file = h.slack.addFile('world.json', WORLD);
    h.slack.redirects.set(String(file.id), `${trap.origin}/elsewhere`);
    await h.event(loreImport([file]));
    expect(h.slack.downloads).toEqual([{ path: expect.any(String), authorized: true }]);
    expect(trap.requests).toEqual([]);
    expect(lastDm()).toBe(`:warning: Muse takes files only from Slack's own file storage, so "world.json" was not downloaded.`);
  });

  it("follows a redirect within Slack's own host", async () => {
    h = await startHarness();
    const target = h.slack.addFile('world.json', WORLD);
    const first = h.slack.addFile('world.json', 'not this one');
    h.slack.redirects.set(String(first.id), String(target.url_private_download));
    await h.event(loreImport([first]));
    expect(h.slack.downloads.map((d) => d.authorized)).toEqual([true, true]);
    expect(lastDm()).toMatch(/^Imported \d+ lore entr(y|ies) from world\.json/);
  });

  it('refuses a remote or external file before any download', async () => {
    h = await startHarness();
    trap = await new TrapServer().start();
    const remote = {
      ...h.slack.addFile('world.json', WORLD),
      mode: 'external',
      is_external: true,
      external_type: 'gdrive',
      url_private: `${trap.origin}/doc`,
    };
    await h.event(loreImport([remote]));
    const hosted = { ...h.slack.addFile('world.json', WORLD), is_external: true };
    await h.event(loreImport([hosted]));
    expect(h.slack.downloads).toEqual([]);
    expect(trap.requests).toEqual([]);
    const refusals = h.slack.museMessages(DM).map((m) => m.text);
    expect(refusals).toEqual([
      ':warning: "world.json" is not stored in Slack (a remote or external file), so Muse did not download it; upload the file itself.',
      ':warning: "world.json" is not stored in Slack (a remote or external file), so Muse did not download it; upload the file itself.',
    ]);
  });

  it('downloads only the file the command uses: the first of a kind it takes', async () => {
    h = await startHarness();
    const notes = h.slack.addFile('notes.txt', 'just notes', 'text/plain');
    const world = h.slack.addFile('world.json', WORLD);
    const other = h.slack.addFile('other.json', WORLD);
    await h.event(loreImport([notes, world, other]));
    expect(h.slack.downloads.map((d) => d.path)).toEqual([expect.stringContaining(`-${String(world.id)}/`)]);
    expect(lastDm()).toMatch(/^Imported \d+ lore entr(y|ies) from world\.json/);
  });

  it('says what the command takes when no file of that kind came with it, downloading nothing', async () => {
    h = await startHarness();
    await h.event(loreImport([h.slack.addFile('notes.txt', 'just notes', 'text/plain')]));
    expect(h.slack.downloads).toEqual([]);
    expect(lastDm()).toBe(':warning: /lore import takes a JSON or PNG file, and none came with it, so nothing was downloaded.');
  });

  it('refuses a file over the one upload limit, 8 MB, before downloading it', async () => {
    h = await startHarness();
    await h.event(loreImport([h.slack.addFile('big.json', WORLD, 'application/json', 9 * 1024 * 1024)]));
    expect(h.slack.downloads).toEqual([]);
    expect(lastDm()).toBe(':warning: The file "big.json" is 9 MB; Muse takes files up to 8 MB.');
  });
});
