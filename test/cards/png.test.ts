import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { asCard, readJsonFile } from '../../src/cards/card.js';
import { pngTextChunks } from '../../src/cards/png.js';
import { CARDS, fixturePngs } from './build-fixtures.js';
import { cardPng, chunk, pngWithText, SIGNATURE } from './png-fixture.js';

describe('card PNGs', () => {
  it('the committed fixtures are what build-fixtures.ts writes, and are read back as the cards', () => {
    for (const [name, data] of Object.entries(fixturePngs())) {
      const committed = readFileSync(join(CARDS, name));
      expect(committed.equals(data), name).toBe(true);
      const json = JSON.parse(readFileSync(join(CARDS, name.replace('.png', '.json')), 'utf8'));
      expect(readJsonFile(committed)).toEqual(json);
    }
  });

  it('prefers ccv3 over chara when a PNG has both', () => {
    const png = pngWithText({
      chara: Buffer.from(JSON.stringify({ spec: 'chara_card_v2', data: { name: 'Old' } })).toString('base64'),
      ccv3: Buffer.from(JSON.stringify({ spec: 'chara_card_v3', data: { name: 'Néw 名' } })).toString('base64'),
    });
    expect(asCard(readJsonFile(png))).toMatchObject({ spec: 'chara_card_v3', data: { name: 'Néw 名' } });
  });

  it('reads tEXt, zTXt and iTXt chunks; the first chunk of a keyword wins; stops at IEND', () => {
    const itxt = Buffer.concat([Buffer.from('note\0\x01\x00en\0\0', 'latin1'), deflateSync(Buffer.from('héllo 世界', 'utf8'))]);
    const ztxt = Buffer.concat([Buffer.from('z\0\x00', 'latin1'), deflateSync(Buffer.from('packed', 'latin1'))]);
    const png = Buffer.concat([
      SIGNATURE,
      chunk('tEXt', 'a\0first'),
      chunk('tEXt', 'a\0second'),
      chunk('iTXt', itxt),
      chunk('zTXt', ztxt),
      chunk('IEND', new Uint8Array()),
      chunk('tEXt', 'late\0ignored'),
    ]);
    expect(Object.fromEntries(pngTextChunks(png))).toEqual({ a: 'first', note: 'héllo 世界', z: 'packed' });
  });

  it('bounds-checks chunk lengths instead of reading past the end', () => {
    const whole = cardPng('chara', '{"name":"x"}');
    for (let cut = 9; cut < whole.length - 12; cut += 7) {
      expect(() => pngTextChunks(whole.subarray(0, cut)), `cut at ${cut}`).toThrow(/cut off/);
    }
    expect(() => pngTextChunks(Buffer.from('not a png at all'))).toThrow('it is not a PNG file');
  });
});

describe('png: only the card chunks are read', () => {
  it('never decompresses chunks other than chara/ccv3, nor repeats of them', async () => {
    const { deflateSync } = await import('node:zlib');
    const { pngTextChunks } = await import('../../src/cards/png.js');
    const chunk = (type: string, body: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(body.length, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body, Buffer.alloc(4)]);
    };
    // A zTXt "bomb" that is not valid deflate data: reading it would throw.
    const junk = Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), Buffer.from('not deflate at all')]);
    const card = Buffer.concat([Buffer.from('chara\0\0', 'latin1'), deflateSync(Buffer.from('e30='))]);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('zTXt', junk),
      chunk('zTXt', card),
      chunk('zTXt', Buffer.concat([Buffer.from('chara\0\0', 'latin1'), Buffer.from('broken')])),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(pngTextChunks(png, ['ccv3', 'chara'])).toEqual(new Map([['chara', 'e30=']]));
    expect(() => pngTextChunks(png)).toThrow(/cannot be decompressed/);
  });
});
