/**
 * Sets one string entry in the metadata of a GGUF file (v2 or v3, little-endian), writing a
 * copy: the header is laid out again (key/value entries, tensor infos, alignment padding) and
 * the tensor data is copied byte for byte. Tensor offsets are relative to the start of the data
 * section, so they stay valid whatever the header's new length.
 *
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The ChatML chat template (as Qwen and OpenHermes ship it), in Jinja. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export const CHAT_TEMPLATE_KEY = 'tokenizer.chat_template';

/** A file that is not a GGUF file this code can rewrite; the message is one sentence. */
export class GgufFormatError extends Error {
  override name = 'GgufFormatError';
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const DEFAULT_ALIGNMENT = 32;
/** GGUF value types (gguf_type). */
const ValueType = {
  Uint8: 0,
  Int8: 1,
  Uint16: 2,
  Int16: 3,
  Uint32: 4,
  Int32: 5,
  Float32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  Uint64: 10,
  Int64: 11,
  Float64: 12,
} as const;
/** Bytes per value of the fixed-size types. */
const FIXED_SIZE: ReadonlyMap<number, number> = new Map([
  [ValueType.Uint8, 1],
  [ValueType.Int8, 1],
  [ValueType.Bool, 1],
  [ValueType.Uint16, 2],
  [ValueType.Int16, 2],
  [ValueType.Uint32, 4],
  [ValueType.Int32, 4],
  [ValueType.Float32, 4],
  [ValueType.Uint64, 8],
  [ValueType.Int64, 8],
  [ValueType.Float64, 8],
]);

/** Reads the file front to back, fetching more bytes only as the header needs them. */
class HeaderReader {
  private buf = Buffer.alloc(0);
  pos = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
  ) {}

  private async need(n: number): Promise<void> {
    const end = this.pos + n;
    if (end > this.size) throw new GgufFormatError('The GGUF file ends in the middle of its header.');
    if (end <= this.buf.length) return;
    const length = Math.min(this.size, Math.max(end, this.buf.length * 2, 1 << 16)) - this.buf.length;
    const more = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(more, 0, length, this.buf.length);
    this.buf = Buffer.concat([this.buf, more.subarray(0, bytesRead)]);
    if (end > this.buf.length) throw new GgufFormatError('The GGUF file could not be read to the end of its header.');
  }

  async u32(): Promise<number> {
    await this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  async u64(): Promise<bigint> {
    await this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  async skip(n: bigint | number): Promise<void> {
    const count = Number(n);
    if (!Number.isSafeInteger(count)) throw new GgufFormatError('The GGUF header has an impossible length in it.');
    await this.need(count);
    this.pos += count;
  }

  async string(): Promise<string> {
    const length = Number(await this.u64());
    await this.need(length);
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return s;
  }

  /** The bytes read so far from `start` (a copy). */
  slice(start: number, end = this.pos): Buffer {
    return Buffer.from(this.buf.subarray(start, end));
  }
}

async function skipValue(r: HeaderReader, type: number): Promise<void> {
  const fixed = FIXED_SIZE.get(type);
  if (fixed !== undefined) return r.skip(fixed);
  if (type === ValueType.String) return r.skip(await r.u64());
  if (type === ValueType.Array) {
    const itemType = await r.u32();
    const count = await r.u64();
    const itemSize = FIXED_SIZE.get(itemType);
    if (itemSize !== undefined) return r.skip(count * BigInt(itemSize));
    for (let i = 0n; i < count; i++) await skipValue(r, itemType);
    return;
  }
  throw new GgufFormatError(`The GGUF header has a value of unknown type ${type}.`);
}

function ggufString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}

function stringEntry(key: string, value: string): Buffer {
  const type = Buffer.alloc(4);
  type.writeUInt32LE(ValueType.String);
  return Buffer.concat([ggufString(key), type, ggufString(value)]);
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

export interface RewriteResult {
  /** Whether the key was there before (its entry was replaced in place) or added at the end. */
  replaced: boolean;
  /** Where the tensor data starts in the input and in the output. */
  dataOffset: { input: number; output: number };
}

/**
 * Writes `output`: a copy of the GGUF file `input` whose string metadata `key` is `value`
 * (replaced where it was, else added after the other entries). Throws GgufFormatError with one
 * sentence for a file it cannot rewrite.
 */
export async function setGgufStringMetadata(input: string, output: string, key: string, value: string): Promise<RewriteResult> {
  if (key === 'general.alignment') throw new GgufFormatError('general.alignment is not a string and cannot be set here.');
  if (path.resolve(input) === path.resolve(output)) throw new GgufFormatError('The output must be another file than the input.');
  const file = await open(input, 'r');
  let header: Buffer;
  let dataOffset: number;
  let replaced = false;
  try {
    const size = (await file.stat()).size;
    const r = new HeaderReader(file, size);
    if ((await r.u32().catch(() => 0)) !== MAGIC) throw new GgufFormatError('The file is not a GGUF model (it does not start with "GGUF").');
    const version = await r.u32();
    if (version !== 2 && version !== 3) throw new GgufFormatError(`GGUF version ${version} is not supported (only versions 2 and 3).`);
    const tensorCount = await r.u64();
    const kvCount = await r.u64();

    const entries: Buffer[] = [];
    let alignment = DEFAULT_ALIGNMENT;
    for (let i = 0n; i < kvCount; i++) {
      const start = r.pos;
      const name = await r.string();
      const type = await r.u32();
      const valueStart = r.pos;
      await skipValue(r, type);
      if (name === 'general.alignment' && type === ValueType.Uint32) alignment = r.slice(valueStart).readUInt32LE(0);
      if (name === key) {
        if (replaced) continue; // a duplicate key: keep one entry
        replaced = true;
        entries.push(stringEntry(key, value));
      } else {
        entries.push(r.slice(start));
      }
    }
    if (alignment === 0 || (alignment & (alignment - 1)) !== 0) throw new GgufFormatError(`The GGUF alignment ${alignment} is not a power of two.`);
    if (!replaced) entries.push(stringEntry(key, value));

    const tensorsStart = r.pos;
    for (let i = 0n; i < tensorCount; i++) {
      await r.string(); // name
      const dims = await r.u32();
      await r.skip(BigInt(dims) * 8n); // dimensions
      await r.skip(4 + 8); // ggml type, offset in the data section
    }
    const tensorInfos = r.slice(tensorsStart);
    dataOffset = alignUp(r.pos, alignment);
    if (dataOffset > size) throw new GgufFormatError('The GGUF file ends before its tensor data.');

    const counts = Buffer.alloc(24);
    counts.writeUInt32LE(MAGIC, 0);
    counts.writeUInt32LE(version, 4);
    counts.writeBigUInt64LE(tensorCount, 8);
    counts.writeBigUInt64LE(BigInt(entries.length), 16);
    const unpadded = Buffer.concat([counts, ...entries, tensorInfos]);
    header = Buffer.concat([unpadded, Buffer.alloc(alignUp(unpadded.length, alignment) - unpadded.length)]);
  } finally {
    await file.close();
  }

  const out = createWriteStream(output);
  out.write(header);
  await pipeline(createReadStream(input, { start: dataOffset }), out);
  return { replaced, dataOffset: { input: dataOffset, output: header.length } };
}

/** Writes a copy of a GGUF file with a chat template (ChatML unless another is given). */
export function addChatTemplate(input: string, output: string, template: string = CHATML_TEMPLATE): Promise<RewriteResult> {
  return setGgufStringMetadata(input, output, CHAT_TEMPLATE_KEY, template);
}
