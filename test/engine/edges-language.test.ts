import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { ConversationRef } from '../../src/engine/conversation.js';
import { createFairUse } from '../../src/fair-use.js';
import { english, translator } from '../../src/i18n/index.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import { createOpenAIBackend } from '../../src/model/openai.js';
import type { ModelBackend } from '../../src/model/types.js';
import { FakeClock } from '../support/fake-clock.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { bob, makeEngine } from '../support/engine.js';
import { PNG, visionModels } from '../vision/support.js';

/**
 * The engine's own refusals in the speaker's language (RunContext.locale): fair use (rate limits,
 * the budget, moderation of the input and of a streamed reply), the model server's errors through
 * the real openai backend against the fake server, and the gate's "busy". English stays English.
 */

const quiet = { info() {}, warn() {} };
const zh = translator('zh-CN');
const ZH = { locale: 'zh-CN' } as const;

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function guarded(env: Record<string, string>, opts: { clock?: FakeClock } = {}) {
  const store = await openStore('memory://');
  const backend = new FakeBackend();
  const guard = await createFairUse(loadConfig(env), {
    store,
    backend: async () => backend,
    log: quiet,
    ...(opts.clock ? { now: () => opts.clock!.now() } : {}),
  });
  return makeEngine({ store, backend, guard, ...(opts.clock ? { clock: opts.clock } : {}) });
}

describe('fair use in the speaker’s language', () => {
  it('a rate-limited zh-CN speaker gets the refusal in Chinese; an English one in English', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '1/10m', MUSE_LIMIT_WORKSPACE: '100/10m' });
    expect((await t.send('one', ZH)).done).toBeDefined();
    const refused = await t.send('two', ZH);
    expect(refused.error).toMatchObject({ code: 'limited', ephemeral: true });
    expect(refused.error!.message).toMatch(/^你在 10 分钟内的 1 次请求已经用完了；请在 (10|9) 分钟后再试。$/);
    expect(refused.error).not.toHaveProperty('text');
    expect(t.backend.calls).toHaveLength(1);
    expect((await t.send('one', { speaker: bob })).done).toBeDefined();
    const inEnglish = await t.send('two', { speaker: bob });
    expect(inEnglish.error!.message).toMatch(/^You have used your 1 request for 10 minutes; try again in (10|9) minutes\.$/);
  });

  it('the workspace limit and the daily budget name the tenant in Chinese', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '10/10m', MUSE_LIMIT_WORKSPACE: '1/1h' });
    expect((await t.send('one', ZH)).done).toBeDefined();
    expect((await t.send('two', { ...ZH, speaker: bob })).error!.message).toMatch(
      /^这个工作区在 1 小时内的 1 次请求已经用完了；请在 (\d+ 分钟|1 小时)后再试。$/,
    );

    const clock = new FakeClock(Date.UTC(2026, 2, 14, 21, 30));
    const b = await guarded({ MUSE_BUDGET_TOKENS_DAY: '10', MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off' }, { clock });
    b.backend.push('A reply long enough to spend more than ten tokens of the day at once.');
    expect((await b.send('spend it', ZH)).done).toBeDefined();
    const over = await b.send('more', ZH);
    expect(over.error).toMatchObject({ code: 'limited', message: '这个工作区今天的 10 个 token 已经用完了；预算在 UTC 午夜重置，还有 3 小时。' });
    expect((await b.send('more', { speaker: bob })).error!.message).toBe(
      'This workspace has used its 10 tokens for today; the budget resets at midnight UTC, in 3 hours.',
    );
  });

  const moderated = () => ({
    MUSE_MODERATION: 'openai',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test',
    MUSE_LIMIT_USER: 'off',
    MUSE_LIMIT_WORKSPACE: 'off',
  });

  it('an input moderation refusal names the category in Chinese; in English for an English speaker', async () => {
    const t = await guarded(moderated());
    fake.moderation.flag(/dragon fire/i, ['violence/graphic']);
    const r = await t.send('the dragon fire melts the knight', ZH);
    expect(r.error).toMatchObject({ code: 'blocked', ephemeral: true, message: '这条消息没有发给模型：它似乎涉及血腥暴力，这里不允许。' });
    expect(t.backend.calls).toHaveLength(0);
    expect((await t.send('the dragon fire melts the knight', { speaker: bob })).error!.message).toBe(
      "That message wasn't sent to the model: it seems to involve graphic violence, which isn't allowed here.",
    );
  });

  it('a streamed reply taken back (mature) says why in Chinese', async () => {
    const t = await guarded(moderated());
    const mature: ConversationRef = { platform: 'test', workspace: 'w1', channel: 'adults', ageRestricted: true };
    fake.moderation.flag(/build the bomb/i, ['illicit/violent']);
    t.backend.push('First, build the bomb like this.');
    const flagged = await t.send('and then?', { ...ZH, conversation: mature });
    expect(flagged.parts.map((p) => p.type).slice(-2)).toEqual(['withdraw', 'error']);
    expect(flagged.error).toMatchObject({ code: 'blocked', message: 'Muse 的回复被撤下了：它似乎涉及暴力犯罪或武器，这里不允许。' });
    expect(flagged.error).not.toHaveProperty('text');
  });
});

describe('model server errors in the speaker’s language (the openai backend against the fake server)', () => {
  const openai = (): ModelBackend =>
    createOpenAIBackend({ model: 'story-model', apiKey: 'sk-test', baseURL: fake.url, retryBaseMs: 1, maxRetries: 0, logger: { warn() {} } });

  it('429 and 500 are shown in Chinese to a zh-CN speaker and in English to an English one', async () => {
    const backend = openai();
    const t = await makeEngine({ models: { backend: async () => backend } });
    fake.enqueue({ kind: 'error', status: 429 });
    expect((await t.send('a story', ZH)).error).toMatchObject({ code: 'model', message: zh('modelError.rateLimit') });
    expect(zh('modelError.rateLimit')).toBe('模型服务器正在限制 Muse 的请求频率；请稍后再试。');
    fake.enqueue({ kind: 'error', status: 500 });
    expect((await t.send('a story', ZH)).error).toMatchObject({ code: 'model', message: '模型服务器内部出错了；请稍后再试。' });
    fake.enqueue({ kind: 'error', status: 429 });
    expect((await t.send('a story', { speaker: bob })).error).toMatchObject({
      code: 'model',
      message: 'The model server is rate-limiting Muse; try again in a moment.',
    });
  });

  it('a reply cut off mid-stream says so in Chinese, around the model error', async () => {
    const backend = openai();
    const t = await makeEngine({ models: { backend: async () => backend } });
    fake.enqueue({ kind: 'cut', text: 'Once upon a time there was a fox who lived by the river.', chunks: 6, afterChunks: 3 });
    const r = await t.send('a story', ZH);
    expect(r.error).toMatchObject({ code: 'model', partial: true, message: `${zh('modelError.cutOff')} 回复被中断了，没有保存。` });
    expect(english('modelError.cutOff')).toBe("The model's reply was cut off before it finished.");
  });
});

describe('the gate in the speaker’s language', () => {
  it('a turn that finds the queues full is told "busy" in Chinese', async () => {
    let release!: () => void;
    const after = new Promise<void>((resolve) => (release = resolve));
    const t = await makeEngine({ limits: { maxTurns: 1, queuePerConversation: 0, queuePerProcess: 0 } });
    t.backend.push({ parts: ['Slow.'], after });
    const first = t.send('first');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const busy = await t.send('second', ZH);
    const busyEnglish = await t.send('third', { speaker: bob });
    release();
    expect((await first).done).toBeDefined();
    expect(busy.error).toMatchObject({ code: 'busy', message: 'Muse 正忙，请稍后再试。' });
    expect(busyEnglish.error).toMatchObject({ code: 'busy', message: 'Muse is busy, try again in a moment.' });
  });
});

describe('pictures in the speaker’s language', () => {
  it('a model that cannot see says so in Chinese, and too many pictures are refused in Chinese', async () => {
    const { catalog, models } = visionModels(fake);
    try {
      const t = await makeEngine({ models });
      const png = (name: string) => ({ name, contentType: 'image/png', data: PNG });
      await t.send('/model text-1');
      const reply = await t.send('What is in this picture?', { ...ZH, attachments: [png('dot.png')] });
      expect(reply.parts).toContainEqual({ type: 'notice', text: '这个模型看不到图片，所以 Muse 只根据你的文字作答。' });
      const five = Array.from({ length: 5 }, (_, i) => png(`p${i}.png`));
      expect((await t.send('look', { ...ZH, attachments: five })).error?.message).toBe('Muse 每条消息最多接受 4 张图片，这次来了 5 张，所以什么都没有发送。');
      const english = await t.send('What is in this picture?', { speaker: bob, attachments: [png('dot.png')] });
      expect(english.parts).toContainEqual({ type: 'notice', text: "This model can't see images, so Muse answered from your text alone." });
    } finally {
      await catalog.close();
    }
  });
});
