import { describe, expect, it } from 'vitest';
import { createLoreFeature, type LoreSlotOptions } from '../../src/features/lore/index.js';
import { bob, makeEngine, replacing } from '../support/engine.js';
import { loreSent } from './support.js';

const withLore = (options: LoreSlotOptions = {}) => makeEngine({ features: replacing(createLoreFeature(options)) });

describe('lore: injection into replies', () => {
  it('injects an entry when its key is mentioned, as data after the system instructions and before the turns', async () => {
    const t = await withLore();
    expect((await t.send('/lore add key:Ember A red dragon who guards the pass.')).done).toBeTruthy();
    await t.send('We walk to the village.');
    expect(loreSent(t)).toBeUndefined();
    await t.send('I call out to ember!');
    expect(loreSent(t)).toBe('Ember: A red dragon who guards the pass.');
    const roles = t.backend.lastCall!.messages.map((m) => m.role);
    const loreAt = t.backend.lastCall!.messages.findIndex((m) => m.content.includes('Ember: A red dragon'));
    expect(roles.slice(0, loreAt + 1)).toEqual(['system', 'system']);
    expect(t.backend.lastCall!.messages[0]!.content).not.toContain('red dragon');
  });

  it('matches whole words only, and names of several words across spacing', async () => {
    const t = await withLore();
    await t.send('/lore add key:"Ash|the grey king" A ghost.');
    await t.send('I brush the ashes off my coat, washing up.');
    expect(loreSent(t)).toBeUndefined();
    await t.send("I bow before The Grey\n King's throne.");
    expect(loreSent(t)).toBe('Ash (also: the grey king): A ghost.');
    await t.send("Ash's crown glints.");
    expect(loreSent(t)).toMatch(/^Ash/);
  });

  it('triggers on an alias and on CJK keys written inside a sentence', async () => {
    const t = await withLore();
    await t.send('/lore add key:"Ember|the red dragon" A red dragon.');
    await t.send('/lore add key:"灯塔|lighthouse" 灯塔的灯从不熄灭。');
    await t.send('We hear THE RED DRAGON roar.');
    expect(loreSent(t)).toBe('Ember (also: the red dragon): A red dragon.');
    // A later turn without a mention still sees the earlier one among the recent turns.
    await t.send('我们走向灯塔下面的小屋。', { speaker: bob });
    expect(loreSent(t)).toBe('灯塔 (also: lighthouse): 灯塔的灯从不熄灭。\nEmber (also: the red dragon): A red dragon.');
  });

  it('always-on entries come first, then the most recently mentioned', async () => {
    const t = await withLore();
    await t.send('/lore add key:World Magic is rare. always:on');
    await t.send('/lore add key:Ember A dragon.');
    await t.send('/lore add key:Mira A thief.');
    await t.send('Ember sleeps.');
    expect(loreSent(t)).toBe('World: Magic is rare.\nEmber: A dragon.');
    await t.send('Mira sneaks past.');
    expect(loreSent(t)).toBe('World: Magic is rare.\nMira: A thief.\nEmber: A dragon.');
  });

  it('only the recent turns are scanned', async () => {
    const t = await withLore({ scanTurns: 2 });
    await t.send('/lore add key:Ember A dragon.');
    await t.send('Ember sleeps.');
    expect(loreSent(t)).toBe('Ember: A dragon.');
    await t.send('We walk on.');
    expect(loreSent(t)).toBe('Ember: A dragon.'); // the mention is 2 turns back
    await t.send('We keep walking.');
    expect(loreSent(t)).toBeUndefined();
  });

  it('skips what does not fit the budget, keeps trying smaller entries, and lore why tells', async () => {
    const t = await withLore({ maxTokens: 30 });
    await t.send('/lore add key:Rule Be kind. always:on');
    await t.send(`/lore add key:Ember ${'A very old dragon with a long, long history. '.repeat(4)}`);
    await t.send('/lore add key:Mira A thief.');
    await t.send('/lore add key:Tom A ferryman.');
    await t.send('Mira meets Ember.');
    expect(loreSent(t)).toBe('Rule: Be kind.\nMira: A thief.');
    const why = await t.send('/lore why');
    expect(why.parts[0]).toMatchObject({ type: 'message', ephemeral: true });
    expect(why.text).toContain('budget ~30 tokens');
    expect(why.text).toMatch(/Used: Rule \(always on, ~\d+ tokens\); Mira \(mentioned, ~\d+ tokens\)\./);
    expect(why.text).toMatch(/Skipped, over the budget: Ember \(mentioned, ~\d+ tokens\)\./);
    expect(why.text).toContain('Not mentioned recently: 1 entry.');
  });

  it('a conversation without lore costs no write and sends no lore message', async () => {
    const t = await withLore();
    await t.send('Hello there.');
    expect(loreSent(t)).toBeUndefined();
    expect(await t.store.getRecord('lore-why:test:w1:c1')).toBeUndefined();
    expect((await t.send('/lore why')).text).toBe('There is no lore here yet, so no reply used any.');
  });

  it('sees an entry replaced by lore add at once (the compiled entries follow the revision)', async () => {
    const t = await withLore();
    await t.send('/lore add key:Ember A dragon.');
    await t.send('Ember sleeps.');
    await t.send('/lore add key:Ember A dragon who lies.');
    await t.send('Ember wakes.');
    expect(loreSent(t)).toBe('Ember: A dragon who lies.');
    await t.send('/lore remove Ember');
    await t.send('Ember flies.');
    expect(loreSent(t)).toBeUndefined();
  });

  it('lore is kept per conversation', async () => {
    const t = await withLore();
    await t.send('/lore add key:Ember A dragon.');
    await t.send('Ember sleeps.', { conversation: { platform: 'test', workspace: 'w1', channel: 'other' } });
    expect(loreSent(t)).toBeUndefined();
  });
});
