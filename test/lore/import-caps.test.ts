import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/engine/session.js';
import { MAX_ALIASES, MAX_BOOK_CHARS } from '../../src/features/lore/caps.js';
import { loreFromJson } from '../../src/features/lore/import.js';
import { mergeEntries } from '../../src/features/lore/merge.js';
import { MAX_ENTRIES, type LoreBook } from '../../src/features/lore/types.js';
import { collect, makeEngine } from '../support/engine.js';
import { worldInfo, worldInfoOfSize } from '../support/hostile-lore.js';
import { growth } from '../fuzz/growth.js';

const file = (data: Buffer | string, name = 'world.json'): Attachment => ({ name, data: typeof data === 'string' ? Buffer.from(data) : data });
const json = (value: unknown) => file(JSON.stringify(value));
type TestEngine = Awaited<ReturnType<typeof makeEngine>>;
const keys = async (t: TestEngine, channel = 'c1') => ((await t.store.getRecord<LoreBook>(`lore:test:w1:${channel}`))?.entries ?? []).map((e) => e.key);

describe('lore import: caps, all or nothing', () => {
  it(`refuses a file of more than ${MAX_ENTRIES} entries, and stops reading at the cap`, async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Keep Me.');
    // The entry after the cap is malformed: the sentence names the cap, so reading stopped there.
    const entries: Record<string, unknown> = {};
    for (let i = 0; i <= MAX_ENTRIES; i++) entries[i] = { key: [`place ${i}`], content: 'A place.' };
    entries[MAX_ENTRIES + 1] = { key: ['broken'], content: 42 };
    const reply = await t.send('/lore import', { attachments: [json({ entries })] });
    expect(reply.error?.message).toBe('Could not import world.json: it has more than 1,000 lore entries, the most a conversation holds; nothing was imported.');
    expect(await keys(t)).toEqual(['Keep']);
  });

  it('counts the entries already here, and entries of the file that share a key as one', async () => {
    const t = await makeEngine();
    const places = (from: number, to: number) =>
      Object.fromEntries(Array.from({ length: to - from }, (_, i) => [i, { key: [`place ${from + i}`], content: 'A place.' }]));
    expect((await t.send('/lore import', { attachments: [file(worldInfo(900))] })).text).toMatch(/^Imported 900 lore entries/);
    // 800-999: 100 new, 100 replacing; "PLACE 999" joins "place 999": 1,000 in all, which fits.
    const fits = await t.send('/lore import', { attachments: [json({ entries: { ...places(800, 1000), x: { key: ['PLACE 999'], content: 'Again.' } } })] });
    expect(fits.text).toBe(
      'Imported 200 lore entries from world.json (World Info): 100 replaced entries with the same key, 1 sharing a key with another were joined to it.',
    );
    const over = await t.send('/lore import', { attachments: [json({ entries: places(995, 1001) })] });
    expect(over.error?.message).toBe(
      'Importing world.json would make 1,001 lore entries here, more than the 1,000 a conversation holds; nothing was imported.',
    );
    expect(await keys(t)).toHaveLength(1000);
  });

  it(`caps aliases at ${MAX_ALIASES} an entry, joined entries included, and names at 100 characters`, async () => {
    const t = await makeEngine();
    const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `name ${from + i}`);
    const ok = await t.send('/lore import', { attachments: [json({ entries: { 0: { key: names(MAX_ALIASES + 1), content: 'Many names.' } } })] });
    expect(ok.text).toMatch(/^Imported 1 lore entry/);
    const cases: Array<[unknown, string]> = [
      [
        { entries: { 7: { key: names(MAX_ALIASES + 2), content: 'Too many names.' } } },
        'World Info entry 7 has more than 33 names in its "key"; a lore entry takes a key and at most 32 aliases',
      ],
      [
        {
          entries: [
            { keys: ['Ember', ...names(20)], content: 'A.' },
            { keys: ['ember', ...names(20, 100)], content: 'B.' },
          ],
        },
        'the entry "Ember" (joined from the entries that share its key) has 40 aliases; a lore entry takes at most 32 besides its key',
      ],
      [
        { entries: { 0: { key: ['Ember', `the ${'very '.repeat(20)}red dragon`], content: 'A dragon.' } } },
        'World Info entry 0 has an alias longer than 100 characters',
      ],
      [{ entries: { 0: { key: 'a,' + 'b'.repeat(101), content: 'x' } } }, 'World Info entry 0 has an alias longer than 100 characters'],
    ];
    for (const [value, reason] of cases) {
      const reply = await t.send('/lore import', { attachments: [json(value)] });
      expect(reply.error?.message).toBe(`Could not import world.json: ${reason}; nothing was imported.`);
    }
    expect(await keys(t)).toEqual(['name 0']);
  });

  it(`caps a conversation's lore at ${MAX_BOOK_CHARS.toLocaleString('en-US')} characters, in the file and with what is already here`, async () => {
    const t = await makeEngine();
    const big = await t.send('/lore import', { attachments: [file(worldInfo(300, 7000))] });
    expect(big.error?.message).toBe(
      'Could not import world.json: it holds more than 2,000,000 characters of lore, the most a conversation holds; nothing was imported.',
    );
    expect((await t.send('/lore import', { attachments: [file(worldInfo(250, 7000))] })).text).toMatch(/^Imported 250 lore entries/);
    const more = file(
      JSON.stringify({ entries: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, { key: [`more ${i}`], content: 'x'.repeat(7000) }])) }),
    );
    const over = await t.send('/lore import', { attachments: [more] });
    expect(over.error?.message).toMatch(
      /^Importing world\.json would make 2,\d{3},\d{3} characters of lore here, more than the 2,000,000 a conversation holds; nothing was imported\.$/,
    );
    expect(await keys(t)).toHaveLength(250);
  });

  it('reading a file costs time linear in its entries (4× the entries, less than 8× the time)', () => {
    const values = new Map([250, 1000].map((n) => [n, JSON.parse(worldInfo(n).toString()) as unknown]));
    expect(
      growth(
        (n) => loreFromJson(values.get(Number(n))),
        (n) => String(n),
        250,
      ),
    ).toBeLessThan(8);
  });

  it('merging into a book of as many entries costs time linear in them (4× the entries, less than 8× the time)', () => {
    const entries = (n: number, by: string) => loreFromJson(JSON.parse(worldInfo(n).toString())).entries.map((e) => ({ ...e, by, at: 0 }));
    const sizes = new Map([250, 1000].map((n) => [n, { book: entries(n, 'Alice'), incoming: entries(n, 'Bob') }]));
    const merge = (n: string) => {
      const { book, incoming } = sizes.get(Number(n))!;
      const merged = mergeEntries(book, incoming);
      expect(merged.replaced).toBe(Number(n));
    };
    expect(growth(merge, (n) => String(n), 250)).toBeLessThan(8);
  });

  it('an 8 MB World Info file is answered in one sentence while a plain turn elsewhere completes', async () => {
    const t = await makeEngine();
    const other = { platform: 'test', workspace: 'w1', channel: 'c2' };
    const [imported, plain] = await Promise.all([
      t.send('/lore import', { attachments: [file(worldInfoOfSize('many small entries', 8 * 1024 * 1024))] }),
      collect(t.engine.handle({ conversation: other, speaker: { id: 'u-bob', name: 'Bob' }, text: 'Hello there' })),
    ]);
    expect(imported.error?.message).toBe(
      'Could not import world.json: it has more than 1,000 lore entries, the most a conversation holds; nothing was imported.',
    );
    expect(plain.error).toBeUndefined();
    expect(plain.done).toBeDefined();
    expect(plain.text).not.toBe('');
    const kept = await t.send('/lore import', { attachments: [file(worldInfoOfSize('within the caps', 8 * 1024 * 1024))] });
    expect(kept.text).toMatch(/^Imported 1000 lore entries from world\.json \(World Info\): \d+ disabled skipped\.$/);
  });
});
