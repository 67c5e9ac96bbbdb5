import { inflateSync } from 'node:zlib';
import type { Localized } from '../i18n/index.js';
import { ImportError } from './errors.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Cap on a decompressed zTXt/iTXt text (a card is JSON, not a movie). */
const MAX_INFLATED = 16 * 1024 * 1024;

export function isPng(data: Uint8Array): boolean {
  return data.length >= 8 && SIGNATURE.every((b, i) => data[i] === b);
}

/**
 * The text chunks of a PNG (tEXt, and zTXt/iTXt for good measure), keyword → text; the first
 * chunk with a keyword wins. Chunk lengths are bounds-checked; CRCs are not verified. With
 * `keywords`, only those are read: other chunks, and repeats, are never decompressed, so a PNG
 * stuffed with compressed chunks cannot keep the process busy.
 */
export function pngTextChunks(data: Uint8Array, keywords?: readonly string[]): Map<string, string> {
  if (!isPng(data)) throw new ImportError('cards.notPng');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Map<string, string>();
  let offset = 8;
  while (offset < data.length) {
    if (offset + 8 > data.length) throw new ImportError('cards.cutHeader');
    const length = view.getUint32(offset);
    const type = latin1(data.subarray(offset + 4, offset + 8));
    const start = offset + 8;
    const end = start + length;
    if (length > 0x7fffffff || end + 4 > data.length) throw new ImportError('cards.cutChunk', { type: printable(type) });
    if (type === 'IEND') break;
    const text = textChunk(type, data.subarray(start, end), (keyword) => !out.has(keyword) && (!keywords || keywords.includes(keyword)));
    if (text) out.set(text.keyword, text.text);
    offset = end + 4;
  }
  return out;
}

function textChunk(type: string, body: Uint8Array, wanted: (keyword: string) => boolean): { keyword: string; text: string } | undefined {
  if (type !== 'tEXt' && type !== 'zTXt' && type !== 'iTXt') return undefined;
  const nul = body.indexOf(0);
  if (nul < 1) throw new ImportError('cards.noKeyword', { type });
  const keyword = latin1(body.subarray(0, nul));
  if (!wanted(keyword)) return undefined;
  const rest = body.subarray(nul + 1);
  if (type === 'tEXt') return { keyword, text: latin1(rest) };
  if (type === 'zTXt') return { keyword, text: latin1(inflate(rest.subarray(1), keyword)) };
  // iTXt: compression flag, method, language tag \0, translated keyword \0, UTF-8 text.
  const compressed = rest[0] === 1;
  const lang = rest.indexOf(0, 2);
  const translated = lang < 0 ? -1 : rest.indexOf(0, lang + 1);
  if (rest.length < 2 || translated < 0) throw new ImportError('cards.badITxt', { keyword });
  const payload = rest.subarray(translated + 1);
  return { keyword, text: new TextDecoder().decode(compressed ? inflate(payload, keyword) : payload) };
}

function inflate(data: Uint8Array, keyword: string): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: MAX_INFLATED });
  } catch {
    throw new ImportError('cards.inflate', { keyword });
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function printable(type: string): string | Localized {
  return /^[A-Za-z]{4}$/.test(type) ? type : { key: 'cards.unnamed' };
}
