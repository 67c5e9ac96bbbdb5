import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { ConversationRef } from '../../src/engine/conversation.js';
import { createFairUse } from '../../src/fair-use.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import type { ModelPart, ModelRequest } from '../../src/model/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { makeEngine, type TestEngine } from '../support/engine.js';

/**
 * Issue 12's budget counts every model call of a tenant: with MUSE_MODERATION=model the checks
 * (input and output) run on the chat model, so their tokens count too; with
 * MUSE_MODERATION=openai the moderation endpoint costs no chat tokens and nothing is added.
 */

const quiet = { info() {}, warn() {} };
const CHECK = 'Task: Check if there is unsafe content';

const isCheck = (request: ModelRequest) => request.messages.at(-1)?.content.startsWith(CHECK) === true;

/** The fake model, answering checks with `verdict` and keeping the tokens each call reported. */
class TallyBackend extends FakeBackend {
  readonly spent: Array<{ check: boolean; tokens: number }> = [];
  constructor(verdict = 'safe') {
    super({ fallback: (req) => (isCheck(req) ? verdict : `Reply ${this.calls.length} to: ${req.messages.at(-1)?.content ?? ''}`) });
  }
  override async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    for await (const part of super.stream(request)) {
      if (part.type === 'finish') this.spent.push({ check: isCheck(request), tokens: (part.usage.inputTokens ?? 0) + (part.usage.outputTokens ?? 0) });
      yield part;
    }
  }
  tokens(check: boolean): number {
    return this.spent.filter((s) => s.check === check).reduce((n, s) => n + s.tokens, 0);
  }
}

async function guarded(env: Record<string, string>, backend = new TallyBackend()): Promise<TestEngine & { backend: TallyBackend }> {
  const store = await openStore('memory://');
  const guard = await createFairUse(loadConfig({ MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off', ...env }), {
    store,
    backend: async () => backend,
    log: quiet,
  });
  const t = await makeEngine({ store, backend, guard });
  return { ...t, backend };
}

/** The caller's and the tenant's tokens today, as /usage words them. */
async function usage(t: TestEngine): Promise<{ mine: number; tenant: number }> {
  const text = (await t.send('/usage')).text;
  const count = (pattern: RegExp) => Number(pattern.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  return { mine: count(/Your use today\*\* \([^)]*\): ([\d,]+) tokens?/), tenant: count(/use today:\*\* ([\d,]+) tokens?/) };
}

const mature: ConversationRef = { platform: 'test', workspace: 'w1', channel: 'adults', ageRestricted: true };

describe('fair use: tokens spent by MUSE_MODERATION=model count in the budget', () => {
  it('a held all-ages turn spends its reply tokens and both checks (input and output) in the budget; /usage shows them', async () => {
    const t = await guarded({ MUSE_MODERATION: 'model', MUSE_BUDGET_TOKENS_DAY: '100000' });
    expect((await t.send('tell me about the harbour')).done).toBeDefined();
    expect(t.backend.spent.filter((s) => s.check)).toHaveLength(2);
    const reply = t.backend.tokens(false);
    const checks = t.backend.tokens(true);
    expect(reply).toBeGreaterThan(0);
    expect(checks).toBeGreaterThan(0);
    expect(await usage(t)).toEqual({ mine: reply + checks, tenant: reply + checks });
  });

  it('mature (streamed, checked at the end) counts both checks too', async () => {
    const t = await guarded({ MUSE_MODERATION: 'model' });
    expect((await t.send('go on', { conversation: mature })).done).toBeDefined();
    expect(t.backend.spent.filter((s) => s.check)).toHaveLength(2);
    expect((await usage(t)).tenant).toBe(t.backend.tokens(false) + t.backend.tokens(true));
  });

  it('a tenant the checks pushed to its budget is refused its next turn', async () => {
    // The same turn on a roomy budget says what the reply alone costs.
    const probe = await guarded({ MUSE_MODERATION: 'model', MUSE_BUDGET_TOKENS_DAY: '100000' });
    await probe.send('tell me about the harbour');
    const replyOnly = probe.backend.tokens(false);
    // One token more than the reply: only the checks can use it up.
    const t = await guarded({ MUSE_MODERATION: 'model', MUSE_BUDGET_TOKENS_DAY: String(replyOnly + 1) });
    expect((await t.send('tell me about the harbour')).done).toBeDefined();
    expect(t.backend.tokens(false)).toBe(replyOnly);
    const calls = t.backend.calls.length;
    const refused = await t.send('and then?');
    expect(refused.error).toMatchObject({ code: 'limited', ephemeral: true });
    expect(refused.error!.message).toMatch(/^This workspace has used its [\d,]+ tokens for today/);
    expect(t.backend.calls).toHaveLength(calls);
  });

  it('a check whose answer cannot be read still spent its tokens (the turn fails closed in all-ages)', async () => {
    const t = await guarded({ MUSE_MODERATION: 'model' }, new TallyBackend('I would rather not say.'));
    const r = await t.send('hello');
    expect(r.error?.code).toBe('blocked');
    expect(t.backend.spent).toHaveLength(1);
    expect(t.backend.spent[0]!.check).toBe(true);
    expect((await usage(t)).tenant).toBe(t.backend.tokens(true));
  });
});

describe('fair use: MUSE_MODERATION=openai costs no chat tokens', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('both checks go to /v1/moderations; the budget counts the reply alone', async () => {
    const t = await guarded({ MUSE_MODERATION: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test' });
    expect((await t.send('tell me about the harbour')).done).toBeDefined();
    expect(t.backend.spent.map((s) => s.check)).toEqual([false]);
    expect(fake.moderation.requests).toHaveLength(2);
    expect((await usage(t)).tenant).toBe(t.backend.tokens(false));
  });
});
