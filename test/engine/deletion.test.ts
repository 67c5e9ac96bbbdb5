import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { alice, bob, channel, makeEngine } from '../support/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-deletion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const here = { ...channel, channel: 'forget-me' };
const other = { ...channel, channel: 'keep-me' };
const key = conversationKey(here);

describe('memory clear deletes every record of the conversation', () => {
  it('leaves no key (and no value) in the store that names it: turns, meta, lore, lore why, story versions, jobs, feedback', async () => {
    const file = join(dir, 'muse.sqlite');
    const store = await openStore(`sqlite://${file}`);
    const t = await makeEngine({ store, clock: new FakeClock() });
    const db = new Database(file, { readonly: true });
    const mentions = () =>
      db
        .prepare<[string, string], { key: string }>('SELECT key FROM keyv WHERE instr(key, ?) > 0 OR instr(value, ?) > 0 ORDER BY key')
        .all(key, key)
        .map((r) => r.key);
    try {
      const send = (text: string, more = {}) => t.send(text, { conversation: here, ...more });
      await send('/lore add key:Ember A red dragon. always:on');
      // A story with an undone beat (versions kept), then one started by someone else, so the first one's versions are kept too.
      t.backend.push('Opening.', 'A beat.', 'Bob opens.\n\n1. Run\n2. Hide');
      await send('/story new a brave fox');
      await send('I follow the path');
      await send('/story undo');
      await send('/story new a grey owl', { speaker: bob, canManage: () => false });
      await t.send('/lore add key:Mira A thief.', { conversation: other });
      // 👍/👎 on a reply (Slack's feedback buttons) are kept per reply and person.
      await t.engine.feedback.record(key, '1700000000.000100', 'U1', 'good');
      await t.engine.feedback.record(key, '1700000000.000100', 'U2', 'bad');
      const before = mentions();
      for (const prefix of ['muse:c:', 'muse:r:lore:', 'muse:r:lore-why:', 'muse:r:story:', 'muse:r:schedule:', 'muse:r:feedback'])
        expect(before.some((k) => k.startsWith(prefix))).toBe(true);

      expect((await send('/memory clear', { speaker: alice })).text).toBe('Muse has forgotten this conversation.');
      expect(mentions()).toEqual([]);
      // Another conversation keeps what it has.
      expect(await store.getRecord(`lore:${conversationKey(other)}`)).toBeTruthy();
    } finally {
      db.close();
      t.engine.close();
      await store.close();
    }
  });
});
