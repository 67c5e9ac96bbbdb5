import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createFairUse } from '../../src/fair-use.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import { makeEngine } from '../support/engine.js';

const quiet = { info() {}, warn() {} };

/** The engine with the guard production builds from `env` (createFairUse), on a memory store. */
async function guarded(env: Record<string, string>) {
  const store = await openStore('memory://');
  const backend = new FakeBackend();
  const guard = await createFairUse(loadConfig(env), { store, backend: async () => backend, log: quiet });
  return makeEngine({ store, backend, guard });
}

const dm = { platform: 'test', workspace: 'w1', channel: 'dm-alice', dm: true };

describe('/usage in the speaker’s language', () => {
  it('reports in Chinese to a zh-CN speaker, and in English to an English one', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '20/10m', MUSE_BUDGET_TOKENS_DAY: '100000' });
    await t.send('hello there');
    const [you, tenant, limits] = (await t.send('/usage', { locale: 'zh-CN' })).text.split('\n');
    expect(you).toMatch(/^\*\*你今天的用量\*\*（\d{4}-\d\d-\d\d，UTC）：[\d,]+ 个 token。$/);
    expect(tenant).toMatch(/^\*\*本工作区今天的用量：\*\*[\d,]+ 个 token（每日预算 100,000 个 token）。$/);
    expect(limits).toMatch(/^\*\*限额：\*\*你，每 10 分钟 20 次；本工作区，每 10 分钟 300 次（指调用模型的操作）。$/);
    const inDm = (await t.send('/usage', { locale: 'zh-CN', conversation: dm })).text;
    expect(inDm).toContain('\n**本对话今天的用量：**');
    const english = (await t.send('/usage')).text.split('\n');
    expect(english[1]).toMatch(/^\*\*This workspace's use today:\*\* [\d,]+ tokens, of a budget of 100,000 tokens a day\.$/);
    expect(english[2]).toMatch(/^\*\*Limits:\*\* you, 20 per 10 minutes; this workspace, .+ \(actions that call the model\)\.$/);
  });

  it('words every limit in Chinese and English: an hour, a day, seconds, and thousands', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: '5/h', MUSE_LIMIT_WORKSPACE: '1500/1d' });
    const limits = (await t.send('/usage', { locale: 'zh-CN' })).text.split('\n')[2];
    expect(limits).toBe('**限额：**你，每小时 5 次；本工作区，每天 1,500 次（指调用模型的操作）。');
    const seconds = await guarded({ MUSE_LIMIT_USER: '3/30s', MUSE_LIMIT_WORKSPACE: 'off' });
    expect((await seconds.send('/usage', { locale: 'zh-CN' })).text).toContain('**限额：**你，每 30 秒 3 次；本工作区，不限');
    expect((await seconds.send('/usage')).text).toContain('**Limits:** you, 3 per 30 seconds; this workspace, no limit');
    expect((await t.send('/usage')).text).toContain('**Limits:** you, 5 an hour; this workspace, 1,500 a day');
  });

  it('says there is no budget and no limit in Chinese', async () => {
    const t = await guarded({ MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off' });
    const text = (await t.send('/usage', { locale: 'zh-CN' })).text;
    expect(text).toContain('（没有每日预算）。');
    expect(text).toContain('**限额：**你，不限；本工作区，不限（指调用模型的操作）。');
  });
});
