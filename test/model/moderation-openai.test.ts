import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIModerator, toVerdict, type OpenAIModeratorOptions } from '../../src/model/moderation-openai.js';
import { ModerationUnavailableError } from '../../src/safety/moderation.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const KEY = 'sk-test-MODERATIONKEY123456';
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

function moderator(extra: Partial<OpenAIModeratorOptions> = {}) {
  return createOpenAIModerator({
    apiKey: KEY,
    baseURL: fake.url,
    retryBaseMs: 1,
    logger: { warn: (obj, msg) => void logs.push({ obj, ...(msg !== undefined ? { msg } : {}) }) },
    ...extra,
  });
}

async function unavailable(promise: Promise<unknown>): Promise<ModerationUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModerationUnavailableError);
  return error as ModerationUnavailableError;
}

describe('OpenAI moderator, through the SDK against the fake /v1/moderations', () => {
  it('sends omni-moderation-latest with the text and the key, and reads a clean answer', async () => {
    const verdict = await moderator().check('A fox finds a lantern in the snow.');
    expect(verdict).toMatchObject({ flagged: false, categories: [] });
    expect(verdict.scores?.['violence']).toBe(0.01);
    const [request] = fake.moderation.requests;
    expect(request?.path).toBe('/v1/moderations');
    expect(request?.body).toEqual({ model: 'omni-moderation-latest', input: 'A fox finds a lantern in the snow.' });
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('maps flagged categories and scores to the normalized names', async () => {
    fake.moderation.flag(/dragon fire/i, ['violence', 'violence/graphic']);
    fake.moderation.flag('insult', ['harassment']);
    const m = moderator();
    const verdict = await m.check('The DRAGON FIRE melts the knight.');
    expect(verdict.flagged).toBe(true);
    expect(verdict.categories.sort()).toEqual(['violence', 'violence/graphic']);
    expect(verdict.scores?.['violence/graphic']).toBe(0.9);
    expect((await m.check('an insult')).categories).toEqual(['harassment']);
    expect((await m.check('a quiet walk')).flagged).toBe(false);
  });

  it('retries a 500 once, then answers', async () => {
    fake.moderation.enqueue({ kind: 'error', status: 500 }, { kind: 'results', categories: [['sexual']] });
    const verdict = await moderator().check('text');
    expect(verdict.categories).toEqual(['sexual']);
    expect(fake.moderation.requests).toHaveLength(2);
    expect(logs.map((l) => l.msg)).toEqual(['moderation check failed; retrying']);
  });

  it('gives up after the bounded retry with ModerationUnavailableError, logging no key', async () => {
    fake.moderation.enqueue({ kind: 'error', status: 503 }, { kind: 'error', status: 503 }, { kind: 'results', categories: [[]] });
    const error = await unavailable(moderator().check('text'));
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(/^The moderation check at 127\.0\.0\.1:\d+ failed \(server 503\)\.$/);
    expect(fake.moderation.requests).toHaveLength(2);
    expect(JSON.stringify(logs)).not.toContain(KEY);
  });

  it('does not retry a 400 or a 401', async () => {
    fake.moderation.enqueue({ kind: 'error', status: 400 }, { kind: 'error', status: 401 });
    expect((await unavailable(moderator().check('a'))).kind).toBe('failed');
    expect((await unavailable(moderator().check('b'))).kind).toBe('failed');
    expect(fake.moderation.requests).toHaveLength(2);
  });

  it('times out on a server that never answers, and on one slower than the deadline', async () => {
    fake.moderation.enqueue({ kind: 'hang' });
    expect((await unavailable(moderator({ timeoutMs: 150 }).check('text'))).kind).toBe('timeout');
    fake.moderation.delayMs = 2_000;
    expect((await unavailable(moderator({ timeoutMs: 150 }).check('text'))).kind).toBe('timeout');
  });

  it("stops at the caller's abort", async () => {
    fake.moderation.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = moderator().check('text', { signal: controller.signal });
    await fake.waitForRequests(1);
    controller.abort();
    expect((await unavailable(pending)).kind).toBe('aborted');
  });

  it('calls an answer it cannot read unreadable', async () => {
    fake.moderation.enqueue({ kind: 'garbage' });
    expect((await unavailable(moderator().check('text'))).kind).toBe('unreadable');
  });

  it('sends nothing for empty text', async () => {
    expect(await moderator().check('  \n')).toMatchObject({ flagged: false, categories: [] });
    expect(fake.moderation.requests).toHaveLength(0);
  });

  it('with no key and no base URL fails without a request', async () => {
    const error = await unavailable(createOpenAIModerator({}).check('text'));
    expect(error.kind).toBe('failed');
  });
});

describe('toVerdict', () => {
  it('normalizes other spellings, drops unknown and false categories, and keeps finite scores', () => {
    const verdict = toVerdict({
      results: [
        {
          flagged: true,
          categories: { self_harm: true, 'Sexual-Minors': true, 'made/up': true, violence: false, illicit: null },
          category_scores: { self_harm: 0.8, violence: 0.1, 'made/up': 0.5, hate: 'high' },
        },
      ],
    });
    expect(verdict).toEqual({ flagged: true, categories: ['self-harm', 'sexual/minors'], scores: { 'self-harm': 0.8, violence: 0.1 } });
  });

  it('reads flagged with no known category as flagged, and refuses a shape it does not know', () => {
    expect(toVerdict({ results: [{ flagged: true, categories: { other: true } }] })).toMatchObject({ flagged: true, categories: [] });
    for (const bad of [null, {}, { results: [] }, { results: [{ flagged: true }] }, { results: 'x' }]) {
      expect(() => toVerdict(bad)).toThrow(ModerationUnavailableError);
    }
  });
});
