import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../src/model/types.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

const HAIKU_LONG_MIDDLE = 'Red leaves on the path\nthe cold wind counts them one by one\nand loses its place';
const lastUser = (req: ModelRequest) => req.messages.filter((m) => m.role === 'user').at(-1)!.content;

describe('Discord: the poem verdict and the tutor in the speaker’s language', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const poem = async (locale: string) => {
    const before = h.backend.calls.length;
    h.backend.push(HAIKU_LONG_MIDDLE, HAIKU_LONG_MIDDLE, HAIKU_LONG_MIDDLE);
    const { replies } = await runInteraction(h, () => h.fake.slash({ name: 'poem', options: { topic: 'autumn leaves', form: 'haiku' }, locale }));
    return { shown: replies.map((r) => r.content).join('\n'), calls: h.backend.calls.slice(before) };
  };

  it('shows a missed haiku’s verdict in Chinese to a zh-CN client, while the repair requests stay English', async () => {
    const { shown, calls } = await poem('zh-CN');
    expect(shown).toContain('the cold wind counts them one by one');
    expect(shown).toContain('-# 俳句：第 2 行有 8 个音节（应为 7 个） ✗（3 次尝试中最好的一次）');
    expect(calls).toHaveLength(3);
    for (const repair of calls.slice(1).map(lastUser)) {
      expect(repair).toContain('Your poem does not keep the form of a haiku yet. Line by line:');
      expect(repair).toContain('line 2 "the cold wind counts them one by one": 8 syllables, wants 7 ✗');
      expect(repair).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('shows the same verdict in English to an en-US client', async () => {
    const { shown } = await poem('en-US');
    expect(shown).toContain('-# haiku: line 2 has 8 syllables (wants 7) ✗ (best of 3 attempts)');
    expect(shown).not.toMatch(/\p{Script=Han}/u);
  });

  it('says where /tutor continues in the speaker’s language', async () => {
    h.backend.push('你已经知道分数的哪些知识？');
    const zh = await runInteraction(h, () => h.fake.slash({ name: 'tutor', subcommand: 'start', options: { subject: '分数' }, locale: 'zh-CN' }));
    expect(zh.replies.map((r) => r.content)).toEqual(['📚 你的辅导在我们的私信里继续。']);
    h.backend.push('What do you already know about fractions?');
    const en = await runInteraction(h, () => h.fake.slash({ name: 'tutor', subcommand: 'start', options: { subject: 'fractions' }, locale: 'en-US' }));
    expect(en.replies.map((r) => r.content)).toEqual(['📚 Your tutoring session continues in our direct messages.']);
  });
});
