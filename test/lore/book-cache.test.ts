import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/engine/session.js';
import { compiledBytes, createBookCache } from '../../src/features/lore/book-cache.js';
import { createLoreFeature } from '../../src/features/lore/index.js';
import { compileEntries } from '../../src/features/lore/select.js';
import { collect, makeEngine, replacing } from '../support/engine.js';
import { worldInfo } from '../support/hostile-lore.js';
import { loreSent } from './support.js';

const MB = 1024 * 1024;
const file = (data: Buffer): Attachment => ({ name: 'world.json', data });

describe('lore: the compiled-book cache is bounded in bytes', () => {
  it('keeps as many compiled books as fit in its bytes, few when they are large', async () => {
    const cache = createBookCache(4 * MB);
    const t = await makeEngine({ features: replacing(createLoreFeature({ cache })) });
    const speaker = { id: 'u', name: 'U' };
    // 20 conversations, each with about 200,000 characters of lore (about 0.8 MB compiled).
    for (let i = 0; i < 20; i++) {
      const conversation = { platform: 'test', workspace: 'w1', channel: `big-${i}` };
      const imported = await collect(
        t.engine.handle({ conversation, speaker, text: '/lore import', attachments: [file(worldInfo(100, 2000))], canManage: () => true }),
      );
      expect(imported.text).toMatch(/^Imported 100 lore entries/);
      await collect(t.engine.handle({ conversation, speaker, text: 'We walk to place 7.' }));
      expect(loreSent(t)).toMatch(/^place 7 \(also: the 7th place\): Place 7: a quiet street/);
    }
    expect(cache.calculatedSize).toBeLessThanOrEqual(4 * MB);
    expect(cache.size).toBeGreaterThanOrEqual(3);
    expect(cache.size).toBeLessThan(6);
  });

  it('keeps more than 500 small books (the old count limit) when they fit', () => {
    const cache = createBookCache(32 * MB);
    const book = compileEntries([{ key: 'Ember', aliases: ['the red dragon'], text: 'A red dragon.', always: false, by: 'U', at: 0 }]);
    for (let i = 0; i < 5000; i++) cache.set(`conversation-${i}`, { rev: 'r', compiled: book });
    expect(cache.size).toBe(5000);
    expect(cache.calculatedSize).toBe(5000 * compiledBytes(book));
  });

  it('still injects lore from a book larger than the whole cache (compiled for each reply, not kept)', async () => {
    const cache = createBookCache(100);
    const t = await makeEngine({ features: replacing(createLoreFeature({ cache })) });
    await t.send('/lore add key:Ember A red dragon who guards the pass.');
    await t.send('I call out to ember!');
    expect(loreSent(t)).toBe('Ember: A red dragon who guards the pass.');
    await t.send('Ember answers.');
    expect(loreSent(t)).toBe('Ember: A red dragon who guards the pass.');
    expect(cache.size).toBe(0);
  });
});
