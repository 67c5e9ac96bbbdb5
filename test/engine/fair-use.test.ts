import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { ConversationRef } from '../../src/engine/conversation.js';
import { conversationKey } from '../../src/engine/conversation.js';
import { createFairUse } from '../../src/fair-use.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import type { Observer } from '../../src/ops/observer.js';
import { noopObserver } from '../../src/ops/observer.js';
import { FakeClock } from '../support/fake-clock.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { alice, bob, channel, makeEngine } from '../support/engine.js';

const quiet = { info() {}, warn() {} };

/** The engine with the guard production builds from `env` (createFairUse), on a memory store. */
async function guarded(env: Record<string, string>, opts: { clock?: FakeClock; observer?: Observer; lines?: string[] } = {}) {
  const store = await openStore('memory://');
  const backend = new FakeBackend();
  const log = opts.lines ? { info: (_o: object, m?: string) => opts.lines!.push(m ?? ''), warn: (_o: object, m?: string) => opts.lines!.push(m ?? '') } : quiet;
  const guard = await createFairUse(loadConfig(env), {
    store,
    backend: async () => backend,
    log,
    ...(opts.observer ? { observer: opts.observer } : {}),
    ...(opts.clock ? { now: () => opts.clock!.now() } : {}),
  });
  return makeEngine({ store, backend, guard, ...(opts.clock ? { clock: opts.clock } : {}) });
}

const started = (r: { parts: Array<{ type: string }> }) => r.parts.some((p) => p.type === 'started');

describe('fair use: rate limits where the model call starts', () => {
  it('one user sending 30 messages reaches the model at most the user limit; the rest get the sentence; another user is still served', async () => {
    const decisions: string[] = [];
    const observer: Observer = { ...noopObserver, decision: (kind, labels) => decisions.push(`${kind}:${labels.scope}`) };
    const t = await guarded({ MUSE_LIMIT_USER: '5/10m', MUSE_LIMIT_WORKSPACE: '100/10m' }, { observer });
    const replies = [];
    for (let i = 0; i < 30; i++) replies.push(await t.send(`line ${i}`));
    const served = replies.filter((r) => r.done);
    const refused = replies.filter((r) => r.error);
    expect(served).toHaveLength(5);
    expect(t.backend.calls).toHaveLength(5);
    expect(refused).toHaveLength(25);
    for (const r of refused) {
      expect(r.error).toMatchObject({ code: 'limited', ephemeral: true });
      expect(r.error!.message).toMatch(/^You have used your 5 requests for 10 minutes; try again in \d+ minutes?\.$/);
      // No 'started': no placeholder anywhere, no model call.
      expect(started(r)).toBe(false);
    }
    expect(served.every(started)).toBe(true);
    // Nothing of a refused turn was saved: five exchanges.
    expect((await t.store.getMeta(conversationKey(channel)))!.count).toBe(10);
    expect(decisions.filter((d) => d === 'rate_limited:user')).toHaveLength(25);
    // Bob, in the same channel, is still served.
    expect((await t.send('my turn', { speaker: bob })).done).toBeDefined();
    expect(t.backend.calls).toHaveLength(6);
  });

  it('the workspace limit holds across users; a command that calls no model costs nothing', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '10/10m', MUSE_LIMIT_WORKSPACE: '2/1h' });
    for (let i = 0; i < 5; i++) expect((await t.send('/help')).error).toBeUndefined();
    expect((await t.send('one')).done).toBeDefined();
    expect((await t.send('two', { speaker: bob })).done).toBeDefined();
    const third = await t.send('three', { speaker: { id: 'u-carol', name: 'Carol' } });
    expect(third.error?.message).toMatch(/^This workspace has used its 2 requests for an hour; try again in (\d+ minutes?|1 hour)\.$/);
  });

  it('/poem counts once whatever its repairs', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '1/10m' });
    t.backend.push('not a haiku at all', 'still not one', 'nor this');
    const poem = await t.send('/poem the sea form:haiku');
    expect(poem.done ?? poem.error).toBeDefined();
    expect(poem.error?.code).not.toBe('limited');
    const calls = t.backend.calls.length;
    expect(calls).toBeGreaterThan(1);
    expect((await t.send('again')).error?.code).toBe('limited');
    expect(t.backend.calls).toHaveLength(calls);
  });

  it('the terminal is exempt from limits not set explicitly, and held to one that is', async () => {
    const terminal: ConversationRef = { platform: 'terminal', workspace: 'local', channel: 'main', dm: true };
    const loose = await guarded({ MUSE_LIMIT_WORKSPACE: 'off' });
    for (let i = 0; i < 22; i++) expect((await loose.send(`line ${i}`, { conversation: terminal })).done).toBeDefined();
    const strict = await guarded({ MUSE_LIMIT_USER: '2/1m' });
    expect((await strict.send('a', { conversation: terminal })).done).toBeDefined();
    expect((await strict.send('b', { conversation: terminal })).done).toBeDefined();
    expect((await strict.send('c', { conversation: terminal })).error?.code).toBe('limited');
  });
});

describe('fair use: the daily token budget', () => {
  it('stops a tenant once its tokens for the UTC day are used, privately, and serves it again the next day', async () => {
    const clock = new FakeClock(Date.UTC(2026, 2, 3, 22, 0));
    const t = await guarded({ MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off', MUSE_BUDGET_TOKENS_DAY: '60' }, { clock });
    let served = 0;
    let refusal;
    for (let i = 0; i < 20 && !refusal; i++) {
      const r = await t.send(`tell me about the harbour, part ${i}`);
      if (r.done) served++;
      else refusal = r;
    }
    expect(served).toBeGreaterThan(0);
    expect(refusal?.error).toMatchObject({ code: 'limited', ephemeral: true });
    expect(refusal?.error?.message).toBe('This workspace has used its 60 tokens for today; the budget resets at midnight UTC, in 2 hours.');
    const calls = t.backend.calls.length;
    // Another user of the same workspace is stopped too; in a DM (its own tenant) Bob is not.
    expect((await t.send('me too', { speaker: bob })).error?.code).toBe('limited');
    expect((await t.send('hi', { speaker: bob, conversation: { platform: 'test', workspace: 'w1', channel: 'dm-bob', dm: true } })).done).toBeDefined();
    expect(t.backend.calls).toHaveLength(calls + 1);
    clock.advance(2 * 3_600_000);
    expect((await t.send('a new day')).done).toBeDefined();
  });

  it('/usage shows, privately, the caller and the tenant today and the limits', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '20/10m', MUSE_BUDGET_TOKENS_DAY: '100000' });
    await t.send('hello there');
    await t.send('and again', { speaker: bob });
    const usage = await t.send('/usage');
    const message = usage.parts.find((p) => p.type === 'message');
    expect(message).toMatchObject({ ephemeral: true });
    const text = usage.text;
    const [mine, theirs] = [...text.matchAll(/([\d,]+) tokens?/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(mine).toBeGreaterThan(0);
    expect(theirs).toBeGreaterThan(mine!);
    expect(text).toContain('100,000 tokens a day');
    expect(text).toContain('you, 20 per 10 minutes');
    expect(text).toContain('300 per 10 minutes');
    expect(started(usage)).toBe(false);
  });
});

describe('fair use: moderation through the fake /v1/moderations', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const env = () => ({ MUSE_MODERATION: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off' });
  const mature: ConversationRef = { platform: 'test', workspace: 'w1', channel: 'adults', ageRestricted: true };

  it('flagged input gets a private sentence naming the category: no model call, nothing saved', async () => {
    const lines: string[] = [];
    const t = await guarded(env(), { lines });
    fake.moderation.flag(/dragon fire/i, ['violence/graphic']);
    const r = await t.send('the dragon fire melts the knight');
    expect(r.error).toMatchObject({
      code: 'blocked',
      ephemeral: true,
      message: "That message wasn't sent to the model: it seems to involve graphic violence, which isn't allowed here.",
    });
    expect(started(r)).toBe(false);
    expect(t.backend.calls).toHaveLength(0);
    expect(await t.store.getMeta(conversationKey(channel))).toBeUndefined();
    expect(lines).toContain('moderation flagged the input; blocked');
  });

  it('all-ages: the reply is held until checked; a flagged one is never shown nor saved', async () => {
    const t = await guarded(env());
    fake.moderation.flag(/blood everywhere/i, ['violence/graphic']);
    t.backend.push('A calm sea.', 'There was blood everywhere.');
    const clean = await t.send('tell me a story');
    // Held: the whole reply comes as one text part, after the check.
    expect(clean.parts.filter((p) => p.type === 'text')).toEqual([{ type: 'text', text: 'A calm sea.' }]);
    const flagged = await t.send('and then?');
    expect(flagged.parts.some((p) => p.type === 'text')).toBe(false);
    expect(flagged.error).toMatchObject({
      code: 'blocked',
      message: "Muse's reply was withheld: it seemed to involve graphic violence, which isn't allowed here.",
    });
    expect((await t.store.getMeta(conversationKey(channel)))!.count).toBe(2);
  });

  it('mature: the reply streams, is checked at the end and, if flagged, taken back and replaced by the sentence; nothing saved', async () => {
    const t = await guarded(env());
    // Graphic violence is allowed in mature; weapons for a violent crime are not.
    fake.moderation.flag(/blood/i, ['violence/graphic']);
    fake.moderation.flag(/build the bomb/i, ['illicit/violent']);
    t.backend.push('Blood on the snow.', 'First, build the bomb like this.');
    const allowed = await t.send('go on', { conversation: mature });
    expect(allowed.text).toBe('Blood on the snow.');
    expect(allowed.done).toBeDefined();
    const flagged = await t.send('and then?', { conversation: mature });
    const types = flagged.parts.map((p) => p.type);
    expect(types.slice(0, 2)).toEqual(['started', 'text']);
    expect(types.slice(-2)).toEqual(['withdraw', 'error']);
    expect(flagged.error).toMatchObject({ code: 'blocked' });
    expect(flagged.error!.ephemeral).toBeUndefined();
    expect(flagged.error!.message).toContain('violent crime or weapons');
    expect((await t.store.getMeta(conversationKey(mature)))!.count).toBe(2);
  });

  it('a failing check fails closed in all-ages and open in mature, each logged', async () => {
    const lines: string[] = [];
    const t = await guarded(env(), { lines });
    for (let i = 0; i < 2; i++) fake.moderation.enqueue({ kind: 'error', status: 500 });
    const closed = await t.send('hello');
    expect(closed.error?.message).toBe("Muse couldn't check that message just now, so it wasn't sent to the model; try again in a moment.");
    expect(t.backend.calls).toHaveLength(0);
    for (let i = 0; i < 4; i++) fake.moderation.enqueue({ kind: 'error', status: 500 });
    const open = await t.send('hello', { conversation: mature });
    expect(open.done).toBeDefined();
    expect(lines.filter((l) => l.startsWith('moderation failed; failing closed'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('moderation failed; failing open'))).toHaveLength(2);
  });
});

describe('fair use: PII', () => {
  it('MUSE_REDACT_PII=on redacts user text before the model and the store; the log names kinds, not values', async () => {
    const lines: string[] = [];
    const t = await guarded({ MUSE_REDACT_PII: 'on' }, { lines });
    await t.send('write to me at wren@example.com or +44 20 7946 0958', { speaker: alice });
    const sent = t.backend.lastCall!.messages.at(-1)!.content;
    expect(sent).not.toContain('wren@example.com');
    expect(sent).toContain('[email]');
    expect(sent).toContain('[phone]');
    const [asked] = await t.store.getTurns(conversationKey(channel), 0, 1);
    expect(asked!.text).toBe('write to me at [email] or [phone]');
    expect(lines.join('\n')).not.toContain('wren@');
  });
});
