import { describe, expect, it } from 'vitest';
import { alice, bob, channel, makeEngine } from '../support/engine.js';

describe('lore: add, list, remove, clear', () => {
  it('adds entries with aliases and always-on, and lists them (ephemeral) with who added them', async () => {
    const t = await makeEngine();
    const added = await t.send('/lore add key:"Ember|the red dragon|Ember" A red dragon who guards the pass.');
    expect(added.text).toBe('Lore added: Ember (also: the red dragon): A red dragon who guards the pass.');
    expect(added.parts[0]).toMatchObject({ type: 'message' });
    expect((added.parts[0] as { ephemeral?: boolean }).ephemeral).toBeUndefined();
    await t.send('/lore add key:World Magic is rare. always:on', { speaker: bob });
    const list = await t.send('/lore list');
    expect(list.parts[0]).toMatchObject({ ephemeral: true });
    expect(list.text).toBe(
      'Lore (2 entries; /lore why shows what the last reply used):\n' +
        '• World [always on]: Magic is rare. (by Bob)\n' +
        '• Ember (also: the red dragon): A red dragon who guards the pass. (by Alice)',
    );
  });

  it('adding the same key (any case) replaces the entry and keeps its aliases and always-on unless given', async () => {
    const t = await makeEngine();
    await t.send('/lore add key:"Ember|the red dragon" A dragon. always:on');
    const again = await t.send('/lore add key:ember An old dragon.');
    expect(again.text).toBe('Lore updated: ember (also: the red dragon) [always on]: An old dragon.');
    await t.send('/lore add key:Ember An old dragon. always:off');
    const list = await t.send('/lore list');
    expect(list.text).toContain('1 entry');
    expect(list.text).toContain('• Ember (also: the red dragon): An old dragon.');
  });

  it("removes an entry by key or alias: your own, or anyone's as a manager; an unknown key is a clear refusal", async () => {
    const t = await makeEngine();
    await t.send('/lore add key:"Ember|the red dragon" A dragon.');
    await t.send('/lore add key:Mira A thief.', { speaker: bob });
    const refused = await t.send('/lore remove key:"The Red Dragon"', { speaker: bob, canManage: () => false });
    expect(refused.error).toMatchObject({
      code: 'forbidden',
      message: 'Only people who can manage this channel may remove lore entries that other people added here. "Ember" was added by Alice.',
    });
    expect((await t.send('/lore list')).text).toContain('Ember');
    const own = await t.send('/lore remove Mira', { speaker: bob, canManage: () => false });
    expect(own.text).toBe('Lore removed: Mira (added by Bob), removed by Bob.');
    const removed = await t.send('/lore remove key:"The Red Dragon"', { speaker: bob, canManage: () => true });
    expect(removed.text).toBe('Lore removed: Ember (added by Alice), removed by Bob.');
    expect((await t.send('/lore list')).text).not.toContain('Ember');
    const missing = await t.send('/lore remove Ember');
    expect(missing.error).toMatchObject({ code: 'bad_input', message: 'There is no lore entry "Ember" here; /lore list shows them.' });
  });

  it("records the author's id, so a namesake cannot pass for them, and replacing someone else's entry needs a manager", async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Ember A dragon.');
    expect(await t.store.getRecord('lore:test:w1:c1')).toMatchObject({ entries: [{ key: 'Ember', by: 'Alice', byId: alice.id }] });
    const namesake = { id: 'u-other-alice', name: 'Alice' };
    expect((await t.send('/lore add key:Ember A harmless lizard.', { speaker: namesake, canManage: () => false })).error?.code).toBe('forbidden');
    expect((await t.send('/lore remove Ember', { speaker: namesake, canManage: () => false })).error?.code).toBe('forbidden');
    // In a DM the speaker manages the conversation.
    const dm = { ...channel, channel: 'dm', dm: true };
    await t.send('/lore add key:Ember A dragon.', { conversation: dm });
    expect((await t.send('/lore add key:Ember A lizard.', { conversation: dm, speaker: bob, canManage: () => false })).done).toBeTruthy();
    // An entry from before ids were kept is nobody's own.
    await t.store.setRecord('lore:test:w1:c1', { rev: 'old', entries: [{ key: 'Old', aliases: [], text: 'x', always: false, by: 'Bob', at: 0 }] });
    expect((await t.send('/lore remove Old', { speaker: bob, canManage: () => false })).error?.code).toBe('forbidden');
    expect((await t.send('/lore remove Old', { speaker: bob, canManage: () => true })).done).toBeTruthy();
  });

  it('clear needs a manager in a shared channel, and removes everything', async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Ember A dragon.');
    await t.send('/lore add key:Mira A thief.');
    const refused = await t.send('/lore clear', { speaker: bob, canManage: () => false });
    expect(refused.error).toMatchObject({ code: 'forbidden' });
    expect((await t.send('/lore list')).text).toContain('2 entries');
    const cleared = await t.send('/lore clear', { canManage: () => true });
    expect(cleared.text).toBe('All 2 lore entries were removed.');
    expect((await t.send('/lore list')).text).toBe('There is no lore here yet. Add some with /lore add <key> <text>.');
    expect(await t.store.getRecord('lore:test:w1:c1')).toBeUndefined();
  });

  it('is kept as a record per conversation, not in the conversation meta', async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Ember A dragon.');
    expect(await t.store.getRecord('lore:test:w1:c1')).toMatchObject({
      entries: [{ key: 'Ember', aliases: [], text: 'A dragon.', always: false, by: 'Alice' }],
    });
    expect((await t.store.getMeta('test:w1:c1'))?.settings ?? {}).toEqual({});
    const other = await t.send('/lore list', { conversation: { ...channel, channel: 'c2' } });
    expect(other.text).toMatch(/no lore here yet/);
  });

  it('refuses bad input with one sentence', async () => {
    const t = await makeEngine();
    expect((await t.send('/lore add key:"|" text')).error?.message).toMatch(/^The lore key is empty/);
    expect((await t.send('/lore add key:Ember')).error?.message).toMatch(/needs some text/);
    expect((await t.send('/lore add key:Ember A dragon. always:maybe')).error?.message).toBe('The always "maybe" is not one of: on, off.');
    expect(await t.store.getRecord('lore:test:w1:c1')).toBeUndefined();
  });
});

describe('lore: the book cap holds for /lore add too', () => {
  it('refuses an entry that would take the conversation past MAX_BOOK_CHARS, and keeps the book as it was', async () => {
    const { MAX_BOOK_CHARS } = await import('../../src/features/lore/caps.js');
    const { bookKey } = await import('../../src/features/lore/book.js');
    const { conversationKey } = await import('../../src/engine/conversation.js');
    const t = await makeEngine();
    // A book just under the cap, as imports over time can leave it.
    const text = 'x'.repeat(7000);
    const entries = Array.from({ length: Math.floor(MAX_BOOK_CHARS / 7010) }, (_, i) => ({
      key: `k${i}`,
      aliases: [],
      text,
      always: false,
      by: 'Alice',
      byId: alice.id,
      at: 0,
    }));
    const used = entries.reduce((n, e) => n + e.key.length + e.text.length, 0);
    entries.push({ ...entries[0]!, key: 'pad', text: 'p'.repeat(MAX_BOOK_CHARS - 500 - used - 3) });
    await t.store.setRecord(bookKey(conversationKey(channel)), { rev: 'r', entries });
    expect((await t.send('/lore add key:Wren A small bird.')).error).toBeUndefined();
    const refused = await t.send(`/lore add key:Ember ${'y'.repeat(1000)}`);
    expect(refused.error?.code).toBe('bad_input');
    expect(refused.error?.message).toContain('characters of lore');
    const book = await t.store.getRecord<{ entries: unknown[] }>(bookKey(conversationKey(channel)));
    expect(book?.entries).toHaveLength(entries.length + 1);
  });
});
