import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, makeEngine } from '../support/engine.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { visionModels } from '../vision/support.js';

const zh = { locale: 'zh-CN' } as const;
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

describe('/model in the speaker’s language', () => {
  it('lists, switches, refuses and shows the choice in /memory show in Chinese to a zh-CN speaker; model names as the operator wrote them', async () => {
    const { catalog, models } = visionModels(fake);
    try {
      const t = await makeEngine({ models });
      expect((await t.send('/model', zh)).text).toBe('模型（▸ 表示这里正在使用的）：\n▸ openai:eye-1（能看图片）\n• openai:text-1\n用 /model <name> 切换。');
      expect((await t.send('/model openai:text-1', zh)).text).toBe('从下一条回复起，Muse 在这里改用 openai:text-1 回答；它对这个对话的记忆不变。');
      expect((await t.send('/model text-1', zh)).text).toBe('Muse 在这里已经在用 openai:text-1 回答了。');
      expect((await t.send('/model nope', zh)).error?.message).toBe('没有可切换的模型“nope”；这里的模型有：openai:eye-1, openai:text-1。');
      const forbidden = await t.send('/model eye-1', { ...zh, speaker: bob, canManage: () => false });
      expect(forbidden.error?.message).toBe('只有能管理这个频道的人才能在这里切换模型。输入 /model 查看所有模型。');
      expect((await t.send('/memory show', zh)).text).toContain('\n模型：openai:text-1\n');
      // An English speaker in the same conversation reads English.
      expect((await t.send('/memory show')).text).toContain('\nModel: openai:text-1\n');
      expect((await t.send('/model nope')).error?.message).toBe('There is no model "nope" to switch to; the models here are openai:eye-1, openai:text-1.');
    } finally {
      await catalog.close();
    }
  });

  it('says there is one model in Chinese, and in English to an English speaker', async () => {
    const t = await makeEngine();
    expect((await t.send('/model', zh)).text).toBe('Muse 在这里只有一个模型，没有可切换的。');
    expect((await t.send('/model')).text).toBe('Muse has one model here, so there is none to switch to.');
  });
});
