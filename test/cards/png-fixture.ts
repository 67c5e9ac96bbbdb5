import { deflateSync } from 'node:zlib';

/** A PNG whose chunks can be anything (for cut-off and odd files). */
export function chunk(type: string, body: Uint8Array | string): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body, 'latin1') : Buffer.from(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid 1×1 PNG with `text` as tEXt chunks (keyword → text, base64 already applied by the caller). */
export function pngWithText(text: Record<string, string>): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const pixels = deflateSync(Buffer.from([0, 200, 60, 40, 255]));
  const texts = Object.entries(text).map(([keyword, value]) => chunk('tEXt', `${keyword}\0${value}`));
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), ...texts, chunk('IDAT', pixels), chunk('IEND', new Uint8Array())]);
}

/** A card PNG as SillyTavern writes it: the card JSON, UTF-8, base64, in a tEXt chunk. */
export function cardPng(keyword: 'chara' | 'ccv3', json: string): Buffer {
  return pngWithText({ [keyword]: Buffer.from(json, 'utf8').toString('base64') });
}

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
