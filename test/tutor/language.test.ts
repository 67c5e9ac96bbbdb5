import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../../src/model/fake.js';
import { alice, bob, channel, makeEngine } from '../support/engine.js';
import { dm, lastSystem, quizModel } from './support.js';

/** Chinese-speaking learners (RunContext.locale zh-CN) read Muse's tutor sentences in Chinese; the model is still asked in English. */
describe("tutor: Muse's own sentences in the learner's language", () => {
  it('a zh-CN learner gets the quiz, its result, progress, /memory show and the end notice in Chinese', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    const zh = (text: string) => t.send(text, { conversation: dm, locale: 'zh-CN' });

    expect((await zh('/tutor quiz')).error?.message).toBe('这里没有进行中的辅导，所以没有可以测验的内容。用 /tutor <科目> 开始一次（例如 /tutor 分数）。');
    await zh('/tutor 分数 level:beginner');
    const first = await zh('/tutor quiz');
    expect(first.text.startsWith('测验：分数（入门），共 3 题。每题发一条消息作答；/tutor quiz stop 可以停止测验。')).toBe(true);
    expect(first.text).toContain('第 1 题（共 3 题，adding fractions）：What is 1/2 + 1/4?');
    // What the model is asked stays English.
    expect(lastSystem(t)).toContain("Write exactly 3 quiz questions on this session's subject (in the data) for a learner at the beginner level");
    expect((await zh('/tutor quiz')).text.startsWith('已经有一个测验在进行。第 1 题（共 3 题，adding fractions）')).toBe(true);

    expect((await zh('3/4')).text).toBe('第 2 题（共 3 题，simplifying）：Simplify 4/8.');
    await zh('1/2');
    const result = await zh('3/5');
    expect(result.text.split('\n').slice(0, 4)).toEqual([
      '测验结果，分数：4/6（67%）',
      '1. What is 1/2 + 1/4?',
      '   你的答案：3/4',
      '   2/2 ✓: Right: 2/4 + 1/4 = 3/4.',
    ]);
    expect(result.text.endsWith('已存入你的进度：/tutor progress。')).toBe(true);
    expect(t.backend.lastCall!.messages[0]!.content).toContain("Grade the learner's quiz answers");

    const progress = (await zh('/tutor progress')).text.split('\n');
    expect(progress.slice(0, 5)).toEqual([
      'Alice 的辅导进度',
      '语言：中文',
      '',
      '科目：',
      expect.stringMatching(/^- 分数：入门，1 次学习，最近一次 \d{4}-\d\d-\d\d$/),
    ]);
    expect(progress).toContain('测验：');
    expect(progress).toContain('接下来复习：');
    expect(progress.some((l) => /^- \d{4}-\d\d-\d\d 分数（入门）：4\/6（67%）$/.test(l))).toBe(true);
    expect((await zh('/memory show')).text).toContain('辅导：分数（入门）');

    expect((await zh('/tutor quiz stop')).text).toBe('这里没有进行中的测验。用 /tutor quiz 开始一个。');
    const end = await zh('/tutor end');
    expect(end.parts.find((p) => p.type === 'notice')).toEqual({ type: 'notice', text: '（辅导已结束；总结已存入 /tutor progress。）' });
    expect((await zh('/tutor end')).error?.message).toBe('这里没有进行中的辅导，所以没有可以结束的内容。用 /tutor <科目> 开始一次（例如 /tutor 分数）。');

    // The same learner with an English client reads English.
    expect((await t.send('/tutor progress', { conversation: dm, locale: 'en-US' })).text.split('\n').slice(0, 2)).toEqual([
      'Tutoring progress for Alice',
      'Language: Chinese (中文)',
    ]);
  });

  it('a zh-CN learner reads a partly graded result and an unreadable quiz in Chinese', async () => {
    const partly = await makeEngine({ backend: new FakeBackend({ fallback: quizModel('{"grades":[{"question":1,"score":2,"feedback":"对。"}]}') }) });
    const zh = (text: string) => partly.send(text, { conversation: dm, locale: 'zh-CN' });
    await zh('/tutor 分数');
    await zh('/tutor quiz');
    await zh('3/4');
    await zh('1/2');
    const result = (await zh('3/5')).text.split('\n');
    expect(result[0]).toBe('测验结果，分数：2/2（100%），3 题中评了 1 题');
    expect(result).toContain('   无法评分');

    const none = await makeEngine({ backend: new FakeBackend({ fallback: quizModel(undefined, 'I cannot write a quiz about that.') }) });
    await none.send('/tutor 分数', { conversation: dm, locale: 'zh-CN' });
    expect((await none.send('/tutor quiz', { conversation: dm, locale: 'zh-CN' })).error).toMatchObject({
      code: 'model',
      message: '模型写出的测验题 Muse 读不懂，所以测验没有开始；请再试一次 /tutor quiz。',
    });
  });

  it("in a shared channel, someone else's quiz is refused in each speaker's language", async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    const as = (speaker: typeof alice, text: string, locale: string, manages = false) =>
      t.send(text, { conversation: channel, speaker, locale, canManage: () => manages });
    await as(alice, '/tutor fractions', 'en-US', true);
    const stopped = await as(alice, '/tutor quiz', 'en-US');
    expect(stopped.text).toMatch(/^Quiz on fractions \(beginner\), 3 questions\./);
    expect((await as(bob, '2/3', 'zh-CN')).parts[0]).toMatchObject({
      type: 'message',
      ephemeral: true,
      text: '这是 Alice 的测验：只有 Alice 的消息才算作答。请等它结束，或者由 Alice 用 /tutor quiz stop 停止。',
    });
    expect((await as(bob, '/tutor quiz stop', 'zh-CN')).error?.message).toBe('只有能管理这个频道的人才能在这里停止 Alice 的测验。');
    expect((await as(bob, '/tutor quiz stop', 'en-US')).error?.message).toBe("Only people who can manage this channel may stop Alice's quiz here.");
    expect((await as(bob, '/tutor start algebra', 'zh-CN')).error?.message).toBe('只有能管理这个频道的人才能在这里开始辅导。可以在和 Muse 的私信里开始。');
    expect((await as(alice, '/tutor quiz stop', 'zh-CN')).text).toBe('测验已停止，共答了 0 题（共 3 题）；本次不计分。');
  });
});
