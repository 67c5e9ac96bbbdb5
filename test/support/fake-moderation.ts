/**
 * POST /v1/moderations for the fake OpenAI server (fake-openai-server.ts), as
 * `fake.moderation`:
 *
 *   fake.moderation.flag(/dragon fire/i, ['violence/graphic']);   // inputs matching are flagged
 *   fake.moderation.enqueue({ kind: 'error', status: 500 });        // the next request fails
 *   fake.moderation.delayMs = 20;                                    // every answer waits 20 ms
 *   fake.moderation.requests[0]?.body.input;                         // what the client sent
 *   fake.moderation.servedMs[0];                                     // how long the server took to answer it
 *
 * Each request takes the next queued behaviour (FIFO) when there is one; otherwise each input
 * is checked against the flag rules (the first rule whose pattern matches decides) and is clean
 * when none matches. Behaviours:
 *   results — answer with these categories per input (one list per input; [] is clean)
 *   error   — HTTP `status` with an OpenAI-style error body and extra `headers`
 *   hang    — never answer (the client must time out or abort)
 *   garbage — 200 with a body that is not a moderation response
 * A response lists every category of the omni model (true/false), scores (0.9 flagged, 0.01
 * not), and applied input types, as the real endpoint does.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RecordedRequest } from './http.js';

export const OMNI_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

export type ModerationBehaviour =
  | { kind: 'results'; categories: string[][] }
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'garbage' };

export interface FakeModeration {
  /** Inputs whose text matches `pattern` (a RegExp, or a substring) are flagged with `categories`. */
  flag(pattern: RegExp | string, categories: string[]): void;
  enqueue(...steps: ModerationBehaviour[]): void;
  /** Milliseconds every answer waits before it is sent (a fixed server latency). */
  delayMs: number;
  readonly requests: RecordedRequest[];
  /** Per answered request, ms from its arrival at the handler to the end of the answer (the server's own latency). */
  readonly servedMs: number[];
  /** Forgets the rules, the queue, the delay and the requests. */
  reset(): void;
}

export interface ModerationHandler extends FakeModeration {
  handle(recorded: RecordedRequest, res: ServerResponse): Promise<void>;
}

export function createFakeModeration(): ModerationHandler {
  const rules: Array<{ pattern: RegExp | string; categories: string[] }> = [];
  const queue: ModerationBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const servedMs: number[] = [];
  const fake: ModerationHandler = {
    delayMs: 0,
    requests,
    servedMs,
    flag: (pattern, categories) => void rules.push({ pattern, categories }),
    enqueue: (...steps) => void queue.push(...steps),
    reset() {
      rules.length = 0;
      queue.length = 0;
      requests.length = 0;
      servedMs.length = 0;
      fake.delayMs = 0;
    },
    async handle(recorded, res) {
      const start = performance.now();
      res.on('finish', () => servedMs.push(performance.now() - start));
      requests.push(recorded);
      const inputs = textsOf(recorded.body?.input);
      if (inputs === undefined) return json(res, 400, { error: { message: "'input' is required.", type: 'invalid_request_error', code: null } });
      const behaviour: ModerationBehaviour = queue.shift() ?? { kind: 'results', categories: inputs.map((text) => categoriesFor(rules, text)) };
      if (behaviour.kind === 'hang') return;
      if (fake.delayMs > 0) await sleep(fake.delayMs, res);
      if (res.destroyed) return;
      if (behaviour.kind === 'error') {
        return json(
          res,
          behaviour.status,
          { error: { message: behaviour.message ?? `Fake error ${behaviour.status}`, type: 'server_error', code: null } },
          behaviour.headers,
        );
      }
      if (behaviour.kind === 'garbage') return json(res, 200, { id: 'modr-fake', model: 'x', results: 'not a list' });
      const model = typeof recorded.body.model === 'string' ? recorded.body.model : 'omni-moderation-latest';
      json(res, 200, { id: `modr-fake-${requests.length}`, model, results: behaviour.categories.map(result) });
    },
  };
  return fake;
}

function categoriesFor(rules: Array<{ pattern: RegExp | string; categories: string[] }>, text: string): string[] {
  for (const rule of rules) {
    const hit =
      typeof rule.pattern === 'string' ? text.includes(rule.pattern) : new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', '')).test(text);
    if (hit) return rule.categories;
  }
  return [];
}

function result(flaggedCategories: string[]) {
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const types: Record<string, string[]> = {};
  for (const c of OMNI_CATEGORIES) {
    categories[c] = flaggedCategories.includes(c);
    scores[c] = categories[c] ? 0.9 : 0.01;
    types[c] = ['text'];
  }
  return { flagged: flaggedCategories.length > 0, categories, category_scores: scores, category_applied_input_types: types };
}

/** The texts of a moderation input: a string, a list of strings, or a list of {type:'text', text}. */
function textsOf(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  return input.map((item: any) => (typeof item === 'string' ? item : item?.type === 'text' ? String(item.text ?? '') : ''));
}

function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
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
