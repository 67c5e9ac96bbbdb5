import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/engine/session.js';
import type { LoreBook } from '../../src/features/lore/types.js';
import { cardPng, chunk, SIGNATURE } from '../cards/png-fixture.js';
import { makeEngine } from '../support/engine.js';
import { loreSent } from './support.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const file = (path: string): Attachment => ({ name: path.split('/').pop()!, data: readFileSync(join(FIXTURES, path)) });
const text = (name: string, content: string): Attachment => ({ name, data: Buffer.from(content, 'utf8') });
const book = async (t: Awaited<ReturnType<typeof makeEngine>>) => (await t.store.getRecord<LoreBook>('lore:test:w1:c1'))?.entries ?? [];

describe('lore import', () => {
  it('imports a SillyTavern World Info file: keys as aliases, constant as always-on, disabled and empty entries skipped', async () => {
    const t = await makeEngine();
    const reply = await t.send('/lore import', { attachments: [file('worldinfo/harbor-town.json')] });
    expect(reply.text).toBe('Imported 3 lore entries from harbor-town.json (World Info): 1 disabled skipped, 1 without content skipped, 1 always on.');
    expect((await book(t)).map((e) => [e.key, e.aliases, e.always])).toEqual([
      ['Ember', ['the red dragon'], false],
      ['The world', [], true],
      ['灯塔', ['lighthouse'], false],
    ]);
    await t.send('我们爬上灯塔。');
    expect(loreSent(t)).toBe(
      'The world: Harbor Town sits on a cold northern sea; magic is rare and feared.\n灯塔 (also: lighthouse): 灯塔的灯从不熄灭：守灯人相信它会挡住海里的东西。',
    );
  });

  it('imports the character_book of a Character Card V2 JSON and of a V3 JSON', async () => {
    const t = await makeEngine();
    const v2 = await t.send('/lore import', { attachments: [file('cards/mira-v2.json')] });
    expect(v2.text).toBe('Imported 2 lore entries from mira-v2.json (the character_book of a Character Card V2): 1 disabled skipped, 1 always on.');
    const v3 = await t.send('/lore import', { attachments: [file('cards/kai-v3.json')] });
    expect(v3.text).toBe('Imported 2 lore entries from kai-v3.json (the character_book of a Character Card V3).');
    expect((await book(t)).map((e) => [e.key, e.aliases, e.always, e.by])).toEqual([
      ['guild', ["Thieves' Guild"], false, 'Alice (mira-v2.json)'],
      ["Mira's rule", [], true, 'Alice (mira-v2.json)'],
      ['lamp', ['the great lamp'], false, 'Alice (kai-v3.json)'],
      ['海怪', [], false, 'Alice (kai-v3.json)'],
    ]);
  });

  it('imports from card PNGs (chara and ccv3 chunks), the committed fixtures', async () => {
    const t = await makeEngine();
    expect((await t.send('/lore import', { attachments: [file('cards/mira-v2.png')] })).text).toMatch(
      /^Imported 2 lore entries from mira-v2\.png \(the character_book of a Character Card V2\)/,
    );
    expect((await t.send('/lore import', { attachments: [file('cards/kai-v3.png')] })).text).toMatch(
      /^Imported 2 lore entries from kai-v3\.png \(the character_book of a Character Card V3\)/,
    );
    expect((await book(t)).find((e) => e.key === '海怪')?.text).toBe('海怪只在满月时靠近灯塔。');
  });

  it('replaces entries with the same key and joins duplicates within one file', async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Ember Old text.');
    const wi = JSON.stringify({ entries: { a: { key: ['ember'], content: 'First.' }, b: { key: ['Ember', 'wyrm'], content: 'Second.' } } });
    const reply = await t.send('/lore import', { attachments: [text('dup.json', wi)] });
    expect(reply.text).toBe(
      'Imported 1 lore entry from dup.json (World Info): 1 replaced an entry with the same key, 1 sharing a key with another were joined to it.',
    );
    expect(await book(t)).toMatchObject([{ key: 'ember', aliases: ['wyrm'], text: 'First.\nSecond.' }]);
  });

  it('reads path: in the terminal only', async () => {
    const t = await makeEngine();
    const terminal = { platform: 'terminal', workspace: 'local', channel: 'c1' };
    const ok = await t.send(`/lore import path:${join(FIXTURES, 'worldinfo/harbor-town.json')}`, { conversation: terminal });
    expect(ok.text).toMatch(/^Imported 3 lore entries from harbor-town\.json/);
    const missing = await t.send('/lore import path:/nonexistent/world.json', { conversation: terminal });
    expect(missing.error?.message).toBe('There is no file at /nonexistent/world.json; nothing was imported.');
    const elsewhere = await t.send(`/lore import path:${join(FIXTURES, 'worldinfo/harbor-town.json')}`);
    expect(elsewhere.error?.message).toMatch(/^path: reads a file on the machine Muse runs on, so it works only in the terminal/);
    expect(await book(t)).toEqual([]);
  });

  it('malformed files get one sentence naming what is wrong, and nothing is imported', async () => {
    const t = await makeEngine();
    await t.send('/lore add key:Keep Me.');
    const cases: Array<[Attachment | undefined, string]> = [
      [
        undefined,
        'Attach a SillyTavern World Info JSON or a character card (JSON or PNG) to the command (in the terminal, give path:FILE); nothing was imported.',
      ],
      [text('w.json', '{"entries": {'), 'Could not import w.json: it is not valid JSON; nothing was imported.'],
      [
        text('w.json', '{"hello": 1}'),
        'Could not import w.json: it is neither a SillyTavern World Info file (an "entries" object) nor a Character Card V2/V3; nothing was imported.',
      ],
      [
        text('w.json', '{"entries": {"0": {"key": ["a"], "content": "ok"}, "1": {"key": "b", "content": 5}}}'),
        'Could not import w.json: World Info entry 1 has a "content" that is not text; nothing was imported.',
      ],
      [
        text('w.json', '{"entries": {"0": {"key": [1], "content": "x"}}}'),
        'Could not import w.json: World Info entry 0 has a "key" that is not a list of words; nothing was imported.',
      ],
      [
        text('w.json', '{"entries": {"0": {"key": ["a"], "content": ""}}}'),
        'Could not import w.json: it has no usable lore entries (each needs a key and some content); nothing was imported.',
      ],
      [
        text('c.json', '{"spec": "chara_card_v2", "data": {"name": "Nobody"}}'),
        'Could not import c.json: the character card "Nobody" has no character_book (lore) in it; nothing was imported.',
      ],
      [
        text('c.json', '{"spec": "chara_card_v2", "data": "oops"}'),
        'Could not import c.json: it says it is a chara_card_v2 card but has no "data" object; nothing was imported.',
      ],
      [
        text('c.json', '{"spec": "chara_card_v9", "data": {}}'),
        'Could not import c.json: its spec "chara_card_v9" is not a character card Muse knows (chara_card_v2 or chara_card_v3); nothing was imported.',
      ],
      [
        text('c.json', '{"spec": "chara_card_v2", "data": {"name": "X", "character_book": {"entries": "no"}}}'),
        'Could not import c.json: its character_book has no "entries" list; nothing was imported.',
      ],
      [
        {
          name: 'c.png',
          data: cardPng(
            'chara',
            '{"spec": "chara_card_v2", "data": {"name": "X", "character_book": {"entries": [{"keys": ["k"], "content": "' + 'x'.repeat(9000) + '"}]}}}',
          ),
        },
        'Could not import c.png: the entry "k" is 9,000 characters long; a lore entry holds at most 8,000; nothing was imported.',
      ],
      [
        { name: 'c.png', data: Buffer.concat([SIGNATURE, chunk('IHDR', new Uint8Array(13)), chunk('IEND', new Uint8Array())]) },
        'Could not import c.png: the PNG has no character card in it (no "chara" or "ccv3" text chunk); nothing was imported.',
      ],
      [
        { name: 'c.png', data: Buffer.concat([SIGNATURE, chunk('tEXt', 'chara\0%%%not base64%%%')]) },
        'Could not import c.png: the PNG\'s "chara" chunk is not base64; nothing was imported.',
      ],
      [
        { name: 'c.png', data: Buffer.concat([SIGNATURE, chunk('tEXt', `chara\0${Buffer.from('not json').toString('base64')}`)]) },
        'Could not import c.png: the PNG\'s "chara" chunk is not valid JSON; nothing was imported.',
      ],
      [
        { name: 'c.png', data: cardPng('chara', '{}').subarray(0, 30) },
        'Could not import c.png: the PNG is cut off (its IHDR chunk runs past the end of the file); nothing was imported.',
      ],
      [
        { name: 'c.png', data: cardPng('chara', '{}').subarray(0, 36) },
        'Could not import c.png: the PNG is cut off in the middle of a chunk header; nothing was imported.',
      ],
      [
        { name: 'c.png', data: Buffer.concat([SIGNATURE, Buffer.from([0xff, 0xff, 0xff, 0xf0]), Buffer.from('tEXtchara\0')]) },
        'Could not import c.png: the PNG is cut off (its tEXt chunk runs past the end of the file); nothing was imported.',
      ],
      [{ name: 'x.bin', data: new Uint8Array([0xff, 0xfe, 0x00, 0x81]) }, 'Could not import x.bin: it is neither a PNG nor UTF-8 JSON; nothing was imported.'],
    ];
    for (const [attachment, message] of cases) {
      const reply = await t.send('/lore import', attachment ? { attachments: [attachment] } : {});
      expect(reply.error?.code, message).toBe('bad_input');
      expect(reply.error?.message.startsWith(message), `${reply.error?.message}\n  expected: ${message}`).toBe(true);
      expect(reply.error?.message).toMatch(/nothing was imported\.$/);
    }
    expect((await book(t)).map((e) => e.key)).toEqual(['Keep']);
  });
});
