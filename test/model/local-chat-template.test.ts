import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getLlama, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addChatTemplate, CHATML_TEMPLATE, GgufFormatError, setGgufStringMetadata } from '../../scripts/gguf-metadata.js';
import { createLocalBackend, LocalRuntime, type LocalBackendOptions, type LocalPrompt } from '../../src/model/local.js';
import type { ModelBackend, ModelPart, ModelRequest } from '../../src/model/types.js';
import { TINY_MODEL, writeChatModel } from '../support/models.js';

let dir: string;
let CHAT_MODEL: string;
let runtime: LocalRuntime;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'muse-chat-model-'));
  CHAT_MODEL = await writeChatModel(dir);
  runtime = new LocalRuntime();
});
afterAll(async () => {
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

const ALIGNMENT = 32; // GGUF's default; the tiny model sets no general.alignment

describe('a GGUF copy with a chat template (scripts/gguf-metadata.ts)', () => {
  it('node-llama-cpp reads the ChatML template back; everything else is unchanged and the tensor data is copied verbatim', async () => {
    const before = await readGgufFileInfo(TINY_MODEL, { logWarnings: false });
    const after = await readGgufFileInfo(CHAT_MODEL, { logWarnings: false });
    expect(before.metadata.tokenizer?.chat_template).toBeUndefined();
    expect(after.metadata.tokenizer?.chat_template).toBe(CHATML_TEMPLATE);

    const { chat_template: _added, ...tokenizerAfter } = after.metadata.tokenizer ?? {};
    expect(tokenizerAfter).toEqual(before.metadata.tokenizer);
    expect({ ...after.metadata, tokenizer: tokenizerAfter }).toEqual(before.metadata);
    expect(after.version).toBe(3);
    expect(after.tensorCount).toBe(before.tensorCount);
    // Tensor offsets are relative to the data section, so only their place in the file moved.
    const relative = (info: typeof before) =>
      info.tensorInfo!.map(({ fileOffset, ...t }) => ({ ...t, fromDataStart: Number(fileOffset) - info.infoEndOffset! }));
    expect(relative(after)).toEqual(relative(before));
    expect(relative(after).every((t) => t.fromDataStart === Number(t.offset))).toBe(true);

    // The header grew and was padded again; the tensor data after it is the same bytes.
    const original = readFileSync(TINY_MODEL);
    const copy = readFileSync(CHAT_MODEL);
    expect(after.infoEndOffset! % ALIGNMENT).toBe(0);
    expect(after.infoEndOffset!).toBeGreaterThan(before.infoEndOffset!);
    expect(copy.length - after.infoEndOffset!).toBe(original.length - before.infoEndOffset!);
    expect(copy.subarray(after.infoEndOffset).equals(original.subarray(before.infoEndOffset))).toBe(true);
  });

  it('is deterministic, and replaces an existing template in place instead of adding a second one', async () => {
    const again = path.join(dir, 'again.gguf');
    expect((await addChatTemplate(TINY_MODEL, again)).replaced).toBe(false);
    expect((await readFile(again)).equals(await readFile(CHAT_MODEL))).toBe(true);

    const other = '{% for message in messages %}{{ message.content }}{% endfor %}';
    const replacedFile = path.join(dir, 'replaced.gguf');
    const result = await addChatTemplate(CHAT_MODEL, replacedFile, other);
    expect(result.replaced).toBe(true);
    const info = await readGgufFileInfo(replacedFile, { logWarnings: false });
    expect(info.metadata.tokenizer?.chat_template).toBe(other);
    expect(info.infoEndOffset).toBe(result.dataOffset.output);
    // Replacing the ChatML template by the other one and back gives the first copy again, byte for byte.
    const back = path.join(dir, 'back.gguf');
    await addChatTemplate(replacedFile, back);
    expect((await readFile(back)).equals(await readFile(CHAT_MODEL))).toBe(true);
  });

  it('refuses a file that is not GGUF, or is cut short, with one sentence and no output', async () => {
    const notGguf = path.join(dir, 'not.gguf');
    await writeFile(notGguf, 'not a model');
    const out = path.join(dir, 'out.gguf');
    await expect(addChatTemplate(notGguf, out)).rejects.toThrow(new GgufFormatError('The file is not a GGUF model (it does not start with "GGUF").'));
    const cut = path.join(dir, 'cut.gguf');
    await writeFile(cut, readFileSync(TINY_MODEL).subarray(0, 4000));
    await expect(addChatTemplate(cut, out)).rejects.toThrow(new GgufFormatError('The GGUF file ends in the middle of its header.'));
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(setGgufStringMetadata(TINY_MODEL, TINY_MODEL, 'general.name', 'x')).rejects.toThrow(GgufFormatError);
  });
});

// ---- The local backend on the copy: it finds the template and formats the chat with it.

const open: ModelBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map(async (b) => b.close?.()));
});

interface Observed {
  backend: ModelBackend;
  prompts: LocalPrompt[];
  ready: object[];
}
function observed(opts: Partial<Omit<LocalBackendOptions, 'runtime'>> & { modelPath: string }): Observed {
  const prompts: LocalPrompt[] = [];
  const ready: object[] = [];
  const backend = createLocalBackend({
    runtime,
    threads: 1,
    onPrompt: (p) => prompts.push(p),
    logger: { info: (obj, msg) => (msg === 'local model ready' ? ready.push(obj) : undefined) },
    ...opts,
  });
  open.push(backend);
  return { backend, prompts, ready };
}

async function collect(b: ModelBackend, request: ModelRequest): Promise<{ parts: ModelPart[]; text: string; finish: Extract<ModelPart, { type: 'finish' }> }> {
  const parts: ModelPart[] = [];
  for await (const p of b.stream(request)) parts.push(p);
  const finish = parts[parts.length - 1];
  if (finish?.type !== 'finish') throw new Error('no finish part');
  return { parts, text: parts.map((p) => (p.type === 'text' ? p.text : '')).join(''), finish };
}

const conversation: ModelRequest['messages'] = [
  { role: 'system', content: 'You are a storyteller.' },
  { role: 'user', content: 'Tell me a story about a cat.', name: 'Ana' },
  { role: 'assistant', content: 'Once upon a time, there was a cat named Tom.' },
  { role: 'user', content: 'What did Tom do next?', name: 'Ben' },
];

describe('local backend on a model with a chat template', () => {
  it('detects the ChatML template and formats the messages with it, and the model reads exactly that prompt', async () => {
    const { backend, prompts, ready } = observed({ modelPath: CHAT_MODEL });
    const reply = await collect(backend, { messages: conversation, temperature: 0, maxOutputTokens: 16 });

    expect(ready).toEqual([expect.objectContaining({ chatWrapper: 'ChatML' })]);
    expect(prompts).toHaveLength(1);
    const prompt = prompts[0]!;
    expect(prompt.chatWrapper).toBe('ChatML');
    expect(prompt.text).toBe(
      '<s><|im_start|>system\nYou are a storyteller.<|im_end|>\n' +
        '<|im_start|>user\nAna: Tell me a story about a cat.<|im_end|>\n' +
        '<|im_start|>assistant\nOnce upon a time, there was a cat named Tom.<|im_end|>\n' +
        '<|im_start|>user\nBen: What did Tom do next?<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    expect(reply.finish).toMatchObject({ reason: 'length', usage: { inputTokens: prompt.tokens.length, outputTokens: 16 } });

    // The model read exactly these tokens (its context starts with them, then holds the reply),
    // and they are that text (the tiny tokenizer only adds word-boundary spaces around the
    // ChatML markers, which are not in its vocabulary).
    expect(prompt.sequenceTokens.slice(0, prompt.tokens.length)).toEqual(prompt.tokens);
    expect(prompt.sequenceTokens.length).toBe(prompt.tokens.length + 16 - 1); // the last token written is not evaluated
    const llama = await getLlama({ gpu: false, maxThreads: 1, build: 'never', skipDownload: true, progressLogs: false });
    const model = await llama.loadModel({ modelPath: CHAT_MODEL });
    try {
      const spaceless = (s: string) => s.replace(/ /g, '');
      expect(spaceless(model.detokenize(prompt.tokens, true))).toBe(spaceless(prompt.text));
      const written = model.detokenize(prompt.sequenceTokens.slice(prompt.tokens.length), false, prompt.tokens);
      expect(written.length).toBeGreaterThan(10);
      expect(reply.text.startsWith(written)).toBe(true);
    } finally {
      await model.dispose();
    }
  });

  it('ends replies that never write a ChatML stop: at maxOutputTokens (past the context size too), or by default at the context size', async () => {
    const { backend } = observed({ modelPath: CHAT_MODEL });
    const short = await collect(backend, { messages: conversation, temperature: 0, maxOutputTokens: 8 });
    expect(short.finish).toMatchObject({ reason: 'length', usage: { outputTokens: 8 } });
    // The prompt (178 tokens) plus 400 does not fit the 512-token context: node-llama-cpp shifts it.
    const long = await collect(backend, { messages: conversation, temperature: 0, maxOutputTokens: 400 });
    expect(long.finish).toMatchObject({ reason: 'length', usage: { outputTokens: 400 } });
    expect(long.text).not.toMatch(/<s>|<\/s>|<\|im_/);
    const unbounded = await collect(backend, { messages: conversation, temperature: 0 });
    expect(unbounded.finish).toMatchObject({ reason: 'length', usage: { outputTokens: backend.contextTokens } });
  });

  it('uses raw completion on the same file when told to, and on the plain model (no template) by itself', async () => {
    const forced = observed({ modelPath: CHAT_MODEL, promptFormat: 'completion' });
    const plain = observed({ modelPath: TINY_MODEL });
    const a = await collect(forced.backend, { messages: conversation, temperature: 0, maxOutputTokens: 8 });
    const b = await collect(plain.backend, { messages: conversation, temperature: 0, maxOutputTokens: 8 });
    expect(plain.ready).toEqual([expect.objectContaining({ chatWrapper: null })]);
    for (const { prompts } of [forced, plain]) {
      expect(prompts).toEqual([expect.objectContaining({ chatWrapper: null, text: '<s>Once upon a time, there was a cat named Tom.\n' })]);
    }
    // Same weights, same prompt: the same story.
    expect(a.text).toBe(b.text);
    expect(b.finish.usage.inputTokens).toBe(plain.prompts[0]!.tokens.length);
  });
});
