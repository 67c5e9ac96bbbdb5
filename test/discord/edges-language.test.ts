import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createFairUse } from '../../src/fair-use.js';
import { createOpenAIBackend } from '../../src/model/openai.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { runInteraction, startHarness, type Harness } from './harness.js';

/** Discord: the engine's refusals and the model server's errors in the interaction's language. */

const quiet = { info() {}, warn() {} };
let fake: FakeOpenAI;
let h: Harness | undefined;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  fake.reset();
});

const poem = (hh: Harness, more: { locale?: string; user?: Harness['fake']['bob'] } = {}) =>
  runInteraction(hh, () => hh.fake.slash({ name: 'poem', options: { topic: 'the sea' }, ...more })).then((r) => r.replies.map((m) => m.content));

describe('Discord: refusals and model errors in the interaction’s language', () => {
  it('a rate-limited zh-CN user is refused in Chinese; an en-US user in English', async () => {
    h = await startHarness({
      guard: (store, backend) =>
        createFairUse(loadConfig({ MUSE_LIMIT_USER: '1/10m', MUSE_LIMIT_WORKSPACE: '100/10m' }), { store, backend: async () => backend, log: quiet }),
    });
    const hh = h;
    hh.backend.push('The sea is wide.', 'The sea is deep.');
    expect(await poem(hh, { locale: 'zh-CN' })).toEqual(['The sea is wide.']);
    const [refused] = await poem(hh, { locale: 'zh-CN' });
    expect(refused).toMatch(/^⚠️ 你在 10 分钟内的 1 次请求已经用完了；请在 (10|9) 分钟后再试。$/);
    expect(await poem(hh, { user: hh.fake.bob })).toEqual(['The sea is deep.']);
    const [inEnglish] = await poem(hh, { user: hh.fake.bob });
    expect(inEnglish).toMatch(/^⚠️ You have used your 1 request for 10 minutes; try again in (10|9) minutes\.$/);
    expect(hh.backend.calls).toHaveLength(2);
  });

  it('the model server answering 500 is shown in Chinese to a zh-CN user and in English to an en-US user', async () => {
    const backend = createOpenAIBackend({ model: 'story-model', apiKey: 'sk-test', baseURL: fake.url, retryBaseMs: 1, maxRetries: 0, logger: { warn() {} } });
    h = await startHarness({ models: { backend: async () => backend } });
    fake.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    expect(await poem(h, { locale: 'zh-CN' })).toEqual(['⚠️ 模型服务器内部出错了；请稍后再试。']);
    expect(await poem(h)).toEqual(['⚠️ The model server had an internal error; try again in a moment.']);
  });
});
