import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE, DEFAULT_MODEL_UNAVAILABLE_MESSAGE, ensureDefaultModel } from '../../src/model/default-model.js';
import { createLocalBackend, LocalRuntime } from '../../src/model/local.js';
import { ModelError, type ModelBackend, type ModelPart, type ModelRequest } from '../../src/model/types.js';
import { TINY_MODEL as MODEL } from '../support/models.js';

// One runtime for the file, as the app has one: backends on it share the loaded model.
let runtime: LocalRuntime;
beforeAll(() => {
  runtime = new LocalRuntime();
});
afterAll(async () => {
  await runtime.close();
});

const open: ModelBackend[] = [];
function backend(opts: Partial<Parameters<typeof createLocalBackend>[0]> = {}) {
  const b = createLocalBackend({ runtime, modelPath: MODEL, threads: 1, ...opts });
  open.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map(async (b) => b.close?.()));
});

async function collect(b: ModelBackend, request: ModelRequest): Promise<{ parts: ModelPart[]; text: string }> {
  const parts: ModelPart[] = [];
  for await (const p of b.stream(request)) parts.push(p);
  return { parts, text: parts.map((p) => (p.type === 'text' ? p.text : '')).join('') };
}

async function caught(p: Promise<unknown>): Promise<ModelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected a ModelError');
}

const premise: ModelRequest['messages'] = [
  { role: 'system', content: 'You are a storyteller.' },
  { role: 'user', content: 'Tell me a story about a cat.', name: 'Ana' },
];

describe('local backend (stories260K)', () => {
  it('streams a story in several deltas, then one finish part with usage', async () => {
    const b = backend();
    const { parts, text } = await collect(b, { messages: premise, temperature: 0, maxOutputTokens: 40 });
    const texts = parts.filter((p) => p.type === 'text');
    expect(texts.length).toBeGreaterThan(3);
    expect(text.startsWith('Once upon a time')).toBe(true); // a base model gets a story opening
    expect(text).toMatch(/\b[a-z]+ [a-z]+ [a-z]+\b/);
    const finish = parts[parts.length - 1]!;
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
    expect(finish).toMatchObject({ type: 'finish', reason: 'length' });
    if (finish.type !== 'finish') throw new Error('no finish');
    expect(finish.usage.inputTokens).toBeGreaterThan(0);
    expect(finish.usage.outputTokens).toBe(40);
  });

  it('continues the story so far and stops by itself at the end of a story (BOS/EOS)', async () => {
    const b = backend();
    const story =
      'Once upon a time, there was a little cat named Tom. Tom liked to play with his ball. One day, he lost his ball. He looked everywhere and found it under the bed. Tom was very happy. The end.';
    const { parts, text } = await collect(b, {
      messages: [...premise, { role: 'assistant', content: story }, { role: 'user', content: 'go on' }],
      temperature: 0,
      maxOutputTokens: 400,
    });
    const finish = parts[parts.length - 1];
    expect(finish).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('Once upon a time'); // did not run on into a second story
    expect(text).not.toMatch(/<s>|<\/s>/);
  });

  it('respects stop strings', async () => {
    const b = backend();
    const { parts, text } = await collect(b, { messages: premise, temperature: 0, maxOutputTokens: 60, stop: ['Lily'] });
    expect(parts[parts.length - 1]).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(text).not.toContain('Lily');
  });

  it('loads the model once for two backends on one runtime and concurrent generations, and queues them', async () => {
    const own = new LocalRuntime();
    try {
      const a = backend({ runtime: own });
      const c = backend({ runtime: own });
      await Promise.all([a.prepare(), a.prepare(), c.prepare()]);
      const [x, y] = await Promise.all([
        collect(a, { messages: premise, temperature: 0, maxOutputTokens: 12 }),
        collect(c, { messages: premise, temperature: 0, maxOutputTokens: 12 }),
      ]);
      expect(own.modelLoadCount()).toBe(1);
      expect(a.model).toBe(c.model);
      expect(x.text).toBe(y.text); // greedy on one shared sequence, run one after the other
      expect(a.contextTokens).toBe(512); // the model's training context
      expect(a.countTokens('Once upon a time')).toBe(4);
    } finally {
      await own.close();
    }
  });

  it('runtimes share nothing; the last backend to close disposes the model, and the next one loads it again', async () => {
    const first = new LocalRuntime();
    const second = new LocalRuntime();
    try {
      const a = backend({ runtime: first });
      const b = backend({ runtime: second });
      await Promise.all([a.prepare(), b.prepare()]);
      expect([first.modelLoadCount(), second.modelLoadCount()]).toEqual([1, 1]);
      expect(a.model).not.toBe(b.model);
      const model = a.model!;
      await a.close();
      await a.close(); // idempotent: releases its lease once
      expect(model.disposed).toBe(true);
      expect(b.model!.disposed).toBe(false);
      const again = backend({ runtime: first });
      await again.prepare();
      expect(first.modelLoadCount()).toBe(2);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('closing the runtime disposes what it holds; its backends then fail "unavailable" in one sentence', async () => {
    const own = new LocalRuntime();
    const a = backend({ runtime: own });
    await a.prepare();
    const model = a.model!;
    await own.close();
    await own.close();
    expect(model.disposed).toBe(true);
    const held = await caught(collect(a, { messages: premise, maxOutputTokens: 5 }));
    expect(held).toMatchObject({ kind: 'unavailable', message: 'The local model has been closed.' });
    const fresh = await caught(backend({ runtime: own }).prepare());
    expect(fresh).toMatchObject({ kind: 'unavailable', message: 'The local model runtime has been closed.' });
  });

  it('estimates tokens before the model is loaded', () => {
    const b = backend();
    expect(b.countTokens('12345678')).toBe(2);
  });

  it('a reply waiting for the model (another one holds it) gives up when aborted; the one holding it carries on', async () => {
    const a = backend();
    const b = backend();
    await Promise.all([a.prepare(), b.prepare()]);
    const holding = a.stream({ messages: premise, temperature: 0, maxOutputTokens: 60 })[Symbol.asyncIterator]();
    const first = await holding.next(); // a holds the sequence now
    expect(first.value).toMatchObject({ type: 'text' });
    const controller = new AbortController();
    const seen: ModelPart[] = [];
    const waiting = caught(
      (async () => {
        for await (const p of b.stream({ messages: premise, maxOutputTokens: 5, signal: controller.signal })) seen.push(p);
      })(),
    );
    await new Promise((resolve) => setImmediate(resolve)); // b is queued behind a
    controller.abort();
    expect((await waiting).kind).toBe('aborted');
    expect(seen).toEqual([]);
    const rest: ModelPart[] = [];
    for (let r = await holding.next(); !r.done; r = await holding.next()) rest.push(r.value);
    expect(rest.at(-1)).toMatchObject({ type: 'finish', reason: 'length', usage: { outputTokens: 60 } });
    const after = await collect(b, { messages: premise, temperature: 0, maxOutputTokens: 5 });
    expect(after.parts.at(-1)).toMatchObject({ type: 'finish' });
  });

  it('stops the generation when the consumer stops reading', async () => {
    const b = backend();
    for await (const p of b.stream({ messages: premise, maxOutputTokens: 400 })) {
      if (p.type === 'text') break;
    }
    const next = await collect(b, { messages: premise, temperature: 0, maxOutputTokens: 5 });
    expect(next.parts[next.parts.length - 1]).toMatchObject({ type: 'finish', reason: 'length' });
  });

  it('formats with a chat wrapper when asked to (the path chat models take)', async () => {
    const b = backend({ promptFormat: 'chat' });
    const { parts } = await collect(b, { messages: premise, temperature: 0, maxOutputTokens: 10 });
    const finish = parts[parts.length - 1];
    expect(finish?.type).toBe('finish');
    if (finish?.type === 'finish') expect(finish.usage.inputTokens).toBeGreaterThan(5);
  });

  it('a missing file is "unavailable" with one sentence; the path is for the log only', async () => {
    const missing = path.join(os.tmpdir(), 'muse-no-such-model.gguf');
    const b = backend({ modelPath: missing });
    const err = await caught(b.prepare());
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe('The local model file does not exist; check MUSE_MODEL (the path is in the log).');
    expect(err.detail).toBe(`model file ${missing}`);
    const viaStream = await caught(collect(b, { messages: premise }));
    expect(viaStream.kind).toBe('unavailable');
  });

  it('a file that is not a model is "unavailable" with a sentence', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'muse-local-'));
    const bad = path.join(dir, 'bad.gguf');
    await writeFile(bad, 'not a model');
    try {
      const err = await caught(backend({ modelPath: bad }).prepare());
      expect(err.kind).toBe('unavailable');
      expect(err.message).toBe('The local model could not be loaded; the details are in the log.');
      expect(err.detail).toBe(`model file ${bad}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ensureDefaultModel', () => {
  let requests = 0;
  const modelBytes = readFileSync(MODEL);
  const server = http.createServer((req, res) => {
    requests++;
    if (req.url === '/down.gguf') {
      res.writeHead(503).end();
      return;
    }
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Number(range[2]) + 1 : modelBytes.length;
    const body = modelBytes.subarray(start, end);
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${end - 1}/${modelBytes.length}` } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  const ready = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  const dirs: string[] = [];
  async function tempDir(): Promise<string> {
    const d = await mkdtemp(path.join(os.tmpdir(), 'muse-models-'));
    dirs.push(d);
    return d;
  }
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('returns an existing file without any download', async () => {
    const base = await ready;
    const dir = await tempDir();
    const file = path.join(dir, DEFAULT_MODEL_FILE);
    await writeFile(file, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(16)]));
    const before = requests;
    expect(await ensureDefaultModel({ modelsDir: dir, modelUri: `${base}/model.gguf`, showProgress: false })).toBe(file);
    expect(requests).toBe(before);
  });

  it('refuses an existing file that is not GGUF, with a sentence', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, DEFAULT_MODEL_FILE), '<html>error page</html>');
    const err = await caught(ensureDefaultModel({ modelsDir: dir, showProgress: false }));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/is not a GGUF model/);
    expect(err.message).not.toContain(dir);
    expect(err.detail).toBe(`model file ${path.join(dir, DEFAULT_MODEL_FILE)}`);
  });

  it('fails fast with the one-sentence message when the default model cannot be downloaded', async () => {
    // The default hf: URI against an unreachable Hugging Face endpoint: offline, without depending on the network.
    const dir = await tempDir();
    const err = await caught(ensureDefaultModel({ modelsDir: dir, showProgress: false, huggingFaceEndpoint: 'http://127.0.0.1:1/' }));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(DEFAULT_MODEL_UNAVAILABLE_MESSAGE);
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails fast when the server refuses or errors', async () => {
    const base = await ready;
    const dir = await tempDir();
    const refused = await caught(ensureDefaultModel({ modelsDir: dir, modelUri: 'http://127.0.0.1:1/model.gguf', showProgress: false }));
    expect(refused.message).toBe(DEFAULT_MODEL_UNAVAILABLE_MESSAGE);
    const down = await caught(ensureDefaultModel({ modelsDir: dir, modelUri: `${base}/down.gguf`, showProgress: false }));
    expect(down.kind).toBe('unavailable');
  });

  it('downloads once through node-llama-cpp, leaving no partial file', async () => {
    const base = await ready;
    const dir = await tempDir();
    const progress: number[] = [];
    const file = await ensureDefaultModel({
      modelsDir: dir,
      modelUri: `${base}/model.gguf`,
      showProgress: false,
      onProgress: (p) => progress.push(p.downloadedSize),
    });
    expect(file).toBe(path.join(dir, DEFAULT_MODEL_FILE));
    expect((await stat(file)).size).toBe(modelBytes.length);
    expect(await readdir(dir)).toEqual([DEFAULT_MODEL_FILE]);
    expect(progress.length).toBeGreaterThan(0);
    const before = requests;
    expect(await ensureDefaultModel({ modelsDir: dir, modelUri: `${base}/model.gguf`, showProgress: false })).toBe(file);
    expect(requests).toBe(before);
  });
});
