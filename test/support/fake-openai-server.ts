/**
 * A loopback OpenAI-compatible server for tests, end-to-end runs and the bench.
 *
 *   const fake = await startFakeOpenAI();          // listens on 127.0.0.1, a free port
 *   process.env.OPENAI_BASE_URL = fake.url;         // "http://127.0.0.1:PORT/v1"
 *   fake.enqueue({ kind: 'reply', text: 'Hello there.', chunks: 3 });
 *   fake.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '0' } });
 *   ... run the code under test ...
 *   fake.requests[0]?.body.model;                   // what the client sent (parsed JSON + headers)
 *   await fake.close();
 *
 * Endpoints: POST /v1/chat/completions (SSE when body.stream is true — `data: {chunk}\n\n`,
 * then a usage chunk when stream_options.include_usage, then `data: [DONE]` — else one JSON
 * chat.completion), GET /v1/models, and POST /v1/moderations with its own controls as
 * `fake.moderation` (fake-moderation.ts: flag rules, a queue, a fixed delay). The `/v1` prefix
 * is optional.
 *
 * A piece of text is one token: `max_tokens` (or `max_completion_tokens`) cuts a reply to that
 * many pieces, with finish_reason 'length' (unless the behaviour sets finishReason), as a real
 * server bounds its output; usage counts the pieces sent.
 *
 * Each chat request takes the next behaviour from the queue (FIFO); when the queue is empty the
 * default answers (a short deterministic story, or `defaultBehaviour` from the options). A queue
 * entry may also be a function of the recorded request, so a test can answer from what it was
 * asked. Behaviours:
 *   reply  — text split into `chunks` near-equal pieces (default: word by word), `delayMs`
 *            between chunks, optional finishReason (null to omit), usage (false to omit), done
 *            (false to omit `data: [DONE]`), lenient (server quirks: delta.content null chunks,
 *            extra unknown fields).
 *   error  — HTTP `status` with a JSON body (default OpenAI-style {error:{message,type,code}})
 *            and extra `headers` (e.g. retry-after).
 *   cut    — streams `afterChunks` chunks of `text`, then destroys the socket.
 *   stall  — streams `afterChunks` chunks, then never sends more (client must time out/abort).
 *   hang   — never answers at all.
 *   streamError — streams `afterChunks` chunks, then `data: {"error":{...}}` and ends.
 * Every request (chat and models) is recorded in `requests`; `waitForRequests(n)` resolves once
 * n have arrived (to sync with a hanging request without sleeping). `close()` ends everything,
 * including hung connections.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFakeModeration, type FakeModeration } from './fake-moderation.js';
import { readBody, type RecordedRequest } from './http.js';

export const DEFAULT_STORY =
  'Once upon a time, a small lighthouse keeper named Wren found a map folded inside a bottle. ' +
  'It showed an island that appeared only at low tide, and Wren decided to row out at dawn.';

export type FakeBehaviour =
  | {
      kind: 'reply';
      text?: string;
      chunks?: number;
      delayMs?: number;
      finishReason?: string | null;
      usage?: { prompt_tokens: number; completion_tokens: number } | false;
      done?: boolean;
      lenient?: boolean;
    }
  | { kind: 'error'; status: number; body?: unknown; headers?: Record<string, string>; message?: string }
  | { kind: 'cut'; text?: string; chunks?: number; afterChunks?: number }
  | { kind: 'stall'; text?: string; chunks?: number; afterChunks?: number }
  | { kind: 'hang' }
  | { kind: 'streamError'; text?: string; chunks?: number; afterChunks?: number; error?: Record<string, unknown> };

export type FakeStep = FakeBehaviour | ((request: RecordedRequest) => FakeBehaviour);

export interface FakeOpenAI {
  /** Base URL ending in /v1, for OPENAI_BASE_URL or the SDK's baseURL. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  readonly chatRequests: RecordedRequest[];
  /** POST /v1/moderations: flag rules, a queue of behaviours, a delay, its requests. */
  moderation: FakeModeration;
  enqueue(...steps: FakeStep[]): void;
  /** Empties the queue and the recorded requests (and resets `moderation`). */
  reset(): void;
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** Answers when the queue is empty (default: a reply with DEFAULT_STORY). */
  defaultBehaviour?: FakeStep;
  /** Ids listed by GET /v1/models (default ["fake-model"]). */
  models?: string[];
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeStep[] = [];
  const requests: RecordedRequest[] = [];
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const defaultStep: FakeStep = options.defaultBehaviour ?? { kind: 'reply', text: DEFAULT_STORY };
  const models = options.models ?? ['fake-model'];
  const moderation = createFakeModeration();

  const record = (r: RecordedRequest) => {
    requests.push(r);
    waiters = waiters.filter((w) => (requests.length >= w.count ? (w.resolve(), false) : true));
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v1(?=\/)/, '');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: { ...req.headers }, body };
    record(recorded);

    if (req.method === 'GET' && path === '/models') {
      return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
    }
    if (req.method === 'POST' && path === '/moderations') return moderation.handle(recorded, res);
    if (req.method !== 'POST' || path !== '/chat/completions') {
      return json(res, 404, { error: { message: `Unknown route ${req.method} ${req.url}`, type: 'invalid_request_error', code: 'not_found' } });
    }
    if (body === undefined || !Array.isArray(body.messages)) {
      return json(res, 400, { error: { message: 'Body must be JSON with messages.', type: 'invalid_request_error', code: null } });
    }
    const step = queue.length > 0 ? queue.shift()! : defaultStep;
    const behaviour = typeof step === 'function' ? step(recorded) : step;
    await respond(behaviour, body, res);
  }

  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get chatRequests() {
      return requests.filter((r) => r.path.endsWith('/chat/completions'));
    },
    moderation,
    enqueue: (...steps) => void queue.push(...steps),
    reset() {
      queue.length = 0;
      requests.length = 0;
      moderation.reset();
    },
    waitForRequests: (count) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

async function respond(b: FakeBehaviour, body: any, res: ServerResponse): Promise<void> {
  if (b.kind === 'hang') return; // the socket stays open until the client gives up or close()
  if (b.kind === 'error') {
    const payload = b.body ?? { error: { message: b.message ?? `Fake error ${b.status}`, type: errorType(b.status), code: null } };
    return json(res, b.status, payload, b.headers);
  }

  const whole = split(('text' in b ? b.text : undefined) ?? DEFAULT_STORY, b.chunks);
  const maxTokens = [body.max_tokens, body.max_completion_tokens].find((n): n is number => typeof n === 'number' && n >= 0);
  const bounded = b.kind === 'reply' && maxTokens !== undefined && whole.length > maxTokens;
  const pieces = bounded ? whole.slice(0, maxTokens) : whole;
  const text = pieces.join('');
  const model = typeof body.model === 'string' ? body.model : 'fake-model';
  const id = `chatcmpl-fake-${Math.abs(hash(JSON.stringify(body.messages)))}`;
  const promptTokens = Math.ceil(body.messages.reduce((n: number, m: any) => n + String(m?.content ?? '').length, 0) / 4);
  const usage = b.kind === 'reply' && b.usage !== undefined ? b.usage : { prompt_tokens: promptTokens, completion_tokens: pieces.length };
  const finishReason = b.kind === 'reply' && b.finishReason !== undefined ? b.finishReason : bounded ? 'length' : 'stop';

  if (body.stream !== true) {
    if (b.kind !== 'reply') return void res.destroy();
    return json(res, 200, {
      id,
      object: 'chat.completion',
      created: 0,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
      ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
    });
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let closed = false;
  res.on('close', () => (closed = true));
  const chunk = (delta: object, finish: string | null, extra: object = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
  const send = (data: unknown) =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`, () => resolve());
    });

  const lenient = b.kind === 'reply' && b.lenient === true;
  await send(chunk({ role: 'assistant', content: lenient ? null : '' }, null, lenient ? { system_fingerprint: 'fake', x_extra: { a: 1 } } : {}));
  const limit = b.kind === 'reply' ? pieces.length : Math.min(b.afterChunks ?? 1, pieces.length);
  const delayMs = b.kind === 'reply' ? (b.delayMs ?? 0) : 0;
  for (let i = 0; i < limit && !closed; i++) {
    if (delayMs > 0 && i > 0) await sleep(delayMs, res);
    await send(chunk({ content: pieces[i] }, null, lenient ? { x_extra: i } : {}));
    if (lenient) await send(chunk({ content: null }, null));
  }
  if (closed) return;

  if (b.kind === 'cut') return void res.socket?.destroy();
  if (b.kind === 'stall') return;
  if (b.kind === 'streamError') {
    await send({ error: b.error ?? { message: 'The fake server failed mid-stream.', type: 'server_error', code: null } });
    return void res.end();
  }
  if (finishReason !== null) await send(chunk({}, finishReason));
  if (usage && body.stream_options?.include_usage === true) {
    await send({
      id,
      object: 'chat.completion.chunk',
      created: 0,
      model,
      choices: [],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  }
  if (b.done !== false) await send('[DONE]');
  res.end();
}

/** Splits text into n near-equal pieces, or word by word (keeping whitespace) without n. */
export function split(text: string, n?: number): string[] {
  if (text === '') return [];
  if (n === undefined) return text.match(/\S+\s*|\s+/g) ?? [text];
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

function errorType(status: number): string {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      res.off('close', done);
      resolve();
    }
    res.on('close', done);
  });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
