import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { english, translator } from '../../src/i18n/index.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

const zh = translator('zh-CN');
const labels = (message: any): string[] => message.components.flatMap((row: any) => row.components.map((b: any) => b.label));

describe("Discord: Muse's own sentences in the interaction's language", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const help = async (locale: string) => {
    const { replies } = await runInteraction(h, () => h.fake.slash({ name: 'help', locale }));
    return replies.map((r) => r.content).join('\n');
  };

  it('answers /help in Chinese to a zh-CN client, with the commands’ Chinese descriptions, and in English to en-US', async () => {
    const chinese = await help('zh-CN');
    expect(chinese.startsWith(zh('help.intro'))).toBe(true);
    expect(chinese).toContain('/memory clear: 忘记本对话');
    expect(chinese).toContain(zh('help.outro'));
    expect(chinese).not.toContain(english('help.intro'));
    const inEnglish = await help('en-US');
    expect(inEnglish.startsWith('Muse tells stories with the whole channel, writes poems and tutors. Commands:')).toBe(true);
    expect(inEnglish).toContain('/memory clear: Forget this conversation');
  });

  it('refuses in Chinese: a permission the speaker lacks, and a bad option value', async () => {
    const forbidden = await runInteraction(h, () => h.fake.slash({ name: 'memory', subcommand: 'clear', user: h.fake.bob, locale: 'zh-CN' }));
    expect(forbidden.replies.map((r) => r.content)).toEqual(['⚠️ 只有能管理这个频道的人才能在这里使用 /memory clear。']);
    const bad = await runInteraction(h, () => h.fake.slash({ name: 'tutor', subcommand: 'quiz', options: { questions: 9 }, locale: 'zh-CN' }));
    expect(bad.replies.map((r) => r.content)).toEqual(['⚠️ questions 是 1 到 5 之间的整数，而不是“9”。']);
    // The same refusal to an English client is the English sentence, as before.
    const inEnglish = await runInteraction(h, () => h.fake.slash({ name: 'memory', subcommand: 'clear', user: h.fake.bob }));
    expect(inEnglish.replies.map((r) => r.content)).toEqual(['⚠️ Only people who can manage this channel may use /memory clear here.']);
  });

  it('labels the story buttons and the writing marker in Chinese', async () => {
    h.backend.push({ parts: ['狐狸', '抬起头。'], delayMs: 30 });
    await runInteraction(h, () =>
      h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'A fox in the snow' }, appPermissions: 0x400n | 0x800n, locale: 'zh-CN' }),
    );
    const beat = [...h.fake.messages.values()].find((m: any) => m.content === '狐狸抬起头。');
    expect(labels(beat)).toEqual(['继续', '重写', '撤销']);
    const writes = h.fake.requests.filter((r) => typeof r.body?.content === 'string' && r.body.content.includes('✍️ *正在写…*'));
    expect(writes.length).toBeGreaterThan(0);
  });

  it('/language en overrides a zh-CN client for that user, and /language auto returns to it', async () => {
    const set = await runInteraction(h, () => h.fake.slash({ name: 'language', options: { language: 'en' }, locale: 'zh-CN' }));
    expect(set.deferral.body.data.flags & 64).toBe(64);
    expect(set.replies.map((r) => r.content)).toEqual(['From now on Muse writes its own messages to you in English.']);
    expect((await help('zh-CN')).startsWith(english('help.intro'))).toBe(true);
    // Another user's zh-CN client still gets Chinese: the setting is Alice's alone.
    const bob = await runInteraction(h, () => h.fake.slash({ name: 'help', user: h.fake.bob, locale: 'zh-CN' }));
    expect(bob.replies[0]!.content.startsWith(zh('help.intro'))).toBe(true);

    const auto = await runInteraction(h, () => h.fake.slash({ name: 'language', options: { language: 'auto' }, locale: 'zh-CN' }));
    expect(auto.replies.map((r) => r.content)).toEqual([zh('language.auto')]);
    expect((await help('zh-CN')).startsWith(zh('help.intro'))).toBe(true);

    await runInteraction(h, () => h.fake.slash({ name: 'language', options: { language: 'zh-CN' }, locale: 'en-US' }));
    expect((await help('en-US')).startsWith(zh('help.intro'))).toBe(true);
    await runInteraction(h, () => h.fake.slash({ name: 'language', options: { language: 'auto' }, locale: 'en-US' }));
  });
});
