import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIBackend, type OpenAIBackendOptions } from '../../src/model/openai.js';
import { ModelError, generateText, type ModelPart, type ModelRequest } from '../../src/model/types.js';
import { DEFAULT_STORY, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const KEY = 'sk-test-SECRETKEY1234567890';
let fake: FakeOpenAI;
let logs: Array<{ obj: object; msg?: string }>;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  logs = [];
});

function backend(extra: Partial<OpenAIBackendOptions> = {}) {
  return createOpenAIBackend({
    model: 'story-model',
    apiKey: KEY,
    baseURL: fake.url,
    retryBaseMs: 1,
    logger: { warn: (obj, msg) => void logs.push({ obj, ...(msg !== undefined ? { msg } : {}) }) },
    ...extra,
  });
}

const ask = (content = 'Tell me a story.'): ModelRequest => ({ messages: [{ role: 'user', content }] });

async function collect(iterable: AsyncIterable<ModelPart>): Promise<ModelPart[]> {
  const parts: ModelPart[] = [];
  for await (const p of iterable) parts.push(p);
  return parts;
}

async function failure(iterable: AsyncIterable<ModelPart>, seen: ModelPart[] = []): Promise<ModelError> {
  try {
    for await (const p of iterable) seen.push(p);
  } catch (err) {
    expect(err).toBeInstanceOf(ModelError);
    return err as ModelError;
  }
  throw new Error('expected the stream to fail');
}

describe('openai backend', () => {
  it('has the id and context size it was given', () => {
    const b = backend({ contextTokens: 32000 });
    expect(b.id).toBe('openai:story-model');
    expect(b.contextTokens).toBe(32000);
    expect(backend().contextTokens).toBe(8192);
  });

  it('streams deltas in order, then one finish part with usage', async () => {
    fake.enqueue({ kind: 'reply', text: 'The dragon yawned and the village slept.', chunks: 5, usage: { prompt_tokens: 12, completion_tokens: 9 } });
    const parts = await collect(backend().stream(ask()));
    const texts = parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text);
    expect(texts).toHaveLength(5);
    expect(texts.join('')).toBe('The dragon yawned and the village slept.');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 12, outputTokens: 9 } });
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
  });

  it('sends model, messages, temperature, max_tokens, stop and stream options', async () => {
    await collect(
      backend().stream({
        messages: [
          { role: 'system', content: 'You are a storyteller.' },
          { role: 'user', content: 'Hi', name: 'Ada_Lovelace' },
          { role: 'user', content: 'Hello', name: 'Not valid name!' },
          { role: 'assistant', content: 'Welcome.' },
        ],
        temperature: 0.7,
        maxOutputTokens: 200,
        stop: ['THE END'],
      }),
    );
    expect(fake.chatRequests).toHaveLength(1);
    const req = fake.chatRequests[0]!;
    expect(req.body).toMatchObject({
      model: 'story-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      max_tokens: 200,
      stop: ['THE END'],
    });
    expect(req.body.max_completion_tokens).toBeUndefined();
    expect(req.body.messages).toEqual([
      { role: 'system', content: 'You are a storyteller.' },
      { role: 'user', content: 'Hi', name: 'Ada_Lovelace' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Welcome.' },
    ]);
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('works keyless against a compatible server and tolerates its quirks', async () => {
    fake.enqueue({ kind: 'reply', text: 'Quiet rivers.', chunks: 2, usage: false, finishReason: null, lenient: true, done: false });
    const parts = await collect(backend({ apiKey: undefined }).stream(ask()));
    expect(
      parts
        .filter((p) => p.type === 'text')
        .map((p) => (p as { text: string }).text)
        .join(''),
    ).toBe('Quiet rivers.');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: {} });
    expect(fake.chatRequests[0]!.headers.authorization).toBe('Bearer not-needed');
  });

  it("maps finish_reason 'length'", async () => {
    fake.enqueue({ kind: 'reply', text: 'And then', finishReason: 'length' });
    const parts = await collect(backend().stream(ask()));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'length' });
  });

  it('retries a 429, honouring retry-after', async () => {
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '0' } });
    const { text } = await generateText(backend({ retryBaseMs: 50_000 }), ask());
    expect(text).toBe(DEFAULT_STORY);
    expect(fake.chatRequests).toHaveLength(2);
    expect(logs.map((l) => l.obj)).toContainEqual(expect.objectContaining({ kind: 'rate_limit', status: 429, delayMs: 0 }));
  });

  it('prefers retry-after-ms, and gives up when retry-after is beyond the deadline', async () => {
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '3' } });
    await generateText(backend(), ask());
    expect(logs.map((l) => l.obj)).toContainEqual(expect.objectContaining({ delayMs: 3 }));

    fake.reset();
    fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } });
    const err = await failure(backend({ timeoutMs: 5_000 }).stream(ask()));
    expect(err.kind).toBe('rate_limit');
    expect(err.retryable).toBe(true);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it('retries a 500 then succeeds', async () => {
    fake.enqueue({ kind: 'error', status: 500 });
    const { text } = await generateText(backend(), ask());
    expect(text).toBe(DEFAULT_STORY);
    expect(fake.chatRequests).toHaveLength(2);
  });

  it("persistent 500s become a 'server' error after the retries", async () => {
    fake.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'error' as const, status: 503 })));
    const err = await failure(backend({ maxRetries: 3 }).stream(ask()));
    expect(err.kind).toBe('server');
    expect(err.status).toBe(503);
    expect(fake.chatRequests).toHaveLength(4);
  });

  it("401 is 'auth', not retried, and never shows the key", async () => {
    fake.enqueue({ kind: 'error', status: 401, message: `Incorrect API key provided: ${KEY}.` });
    const err = await failure(backend().stream(ask()));
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).toBe("The model server rejected Muse's API key; check OPENAI_API_KEY.");
    expect(err.message).not.toContain('SECRETKEY');
    expect(JSON.stringify(logs)).not.toContain('SECRETKEY');
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("404 unknown model is 'not_found'", async () => {
    fake.enqueue({
      kind: 'error',
      status: 404,
      body: { error: { message: 'The model `story-model` does not exist', type: 'invalid_request_error', code: 'model_not_found' } },
    });
    const err = await failure(backend().stream(ask()));
    expect(err.kind).toBe('not_found');
    expect(err.message).toBe("The model 'story-model' is not known to the model server; check MUSE_MODEL.");
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("400 is 'bad_request' and keeps the original error as cause", async () => {
    fake.enqueue({ kind: 'error', status: 400, message: 'temperature out of range' });
    const err = await failure(backend().stream(ask()));
    expect(err.kind).toBe('bad_request');
    expect(err.cause).toBeInstanceOf(Error);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a server that never answers gives 'timeout'", async () => {
    fake.enqueue({ kind: 'hang' });
    const err = await failure(backend().stream({ ...ask(), timeoutMs: 150 }));
    expect(err.kind).toBe('timeout');
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a stream that stalls after text gives 'timeout'", async () => {
    fake.enqueue({ kind: 'stall', text: 'Once upon', chunks: 2, afterChunks: 1 });
    const seen: ModelPart[] = [];
    const err = await failure(backend({ timeoutMs: 150 }).stream(ask()), seen);
    expect(err.kind).toBe('timeout');
    expect(seen).toEqual([{ type: 'text', text: 'Once ' }]);
  });

  it("aborting before the answer gives 'aborted'", async () => {
    fake.enqueue({ kind: 'hang' });
    const ac = new AbortController();
    void fake.waitForRequests(1).then(() => ac.abort());
    const err = await failure(backend().stream({ ...ask(), signal: ac.signal }));
    expect(err.kind).toBe('aborted');
  });

  it('an already-aborted signal sends nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await failure(backend().stream({ ...ask(), signal: ac.signal }));
    expect(err.kind).toBe('aborted');
    expect(fake.chatRequests).toHaveLength(0);
  });

  it("a stream cut after text started is 'interrupted' and not retried", async () => {
    fake.enqueue({ kind: 'cut', text: 'The knight rode into the dark forest.', chunks: 4, afterChunks: 2 });
    const seen: ModelPart[] = [];
    const err = await failure(backend().stream(ask()), seen);
    expect(err.kind).toBe('interrupted');
    expect(err.message).toBe("The model's reply was cut off before it finished.");
    expect(seen.map((p) => p.type)).toEqual(['text', 'text']);
    expect(fake.chatRequests).toHaveLength(1);
  });

  it('a stream cut before any text is retried', async () => {
    fake.enqueue({ kind: 'cut', text: 'lost', afterChunks: 0 });
    const { text } = await generateText(backend(), ask());
    expect(text).toBe(DEFAULT_STORY);
    expect(fake.chatRequests).toHaveLength(2);
  });

  it("an error event after text started is 'interrupted'", async () => {
    fake.enqueue({ kind: 'streamError', text: 'Once upon a time', afterChunks: 2 });
    const err = await failure(backend().stream(ask()));
    expect(err.kind).toBe('interrupted');
    expect(fake.chatRequests).toHaveLength(1);
  });

  it("a closed port gives 'connection': the sentence names neither the host nor the key, the detail for the log names the host", async () => {
    const port = await closedPort();
    const err = await failure(backend({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 1 }).stream(ask()));
    expect(err.kind).toBe('connection');
    expect(err.message).toBe('Muse could not reach the model server; the address it tried is in the log.');
    expect(err.detail).toBe(`model server 127.0.0.1:${port}`);
    expect(err.message).not.toContain('SECRETKEY');
    expect(logs.filter((l) => l.msg === 'model request failed; retrying')).toHaveLength(1);
  });

  it("no key and no base URL is an 'auth' error without any request", async () => {
    const err = await failure(createOpenAIBackend({ model: 'gpt-4o-mini' }).stream(ask()));
    expect(err.kind).toBe('auth');
  });
});

describe('fake OpenAI server', () => {
  it('answers non-streaming requests and lists models through the real SDK', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ apiKey: 'x', baseURL: fake.url, maxRetries: 0 });
    fake.enqueue({ kind: 'reply', text: 'Plain answer.' });
    const done = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(done.choices[0]?.message.content).toBe('Plain answer.');
    expect(done.usage?.completion_tokens).toBeGreaterThan(0);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['fake-model']);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions', 'GET /v1/models']);
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
