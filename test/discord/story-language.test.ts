import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import { FakeClock } from '../support/fake-clock.js';
import type { Stored } from '../support/fake-discord.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

const BEAT = 'The fox stops where the path forks.\n\n1. Take the left path\n2. Take the right path';
const run = runInteraction;

/** The custom id of choice n's button under a beat. */
const choiceId = (m: Stored, n: number): string =>
  m.components
    .flatMap((row: any) => row.components.map((b: any) => b.custom_id as string))
    .find((id: string) => {
      const c = decodeAction(id)!.command!;
      return c.sub === 'vote' && c.options?.choice === String(n);
    })!;

describe('Discord: the story in the speaker’s language', () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await startHarness({ clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  const newStory = async (premise: string, locale: string) => {
    h.backend.push(BEAT);
    const started = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise }, locale }));
    const thread = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === premise)!.id as string;
    return { note: started.replies.map((r) => r.content), thread };
  };
  const say = async (thread: string, subcommand: string, locale: string, options: Record<string, string> = {}) => {
    const { replies } = await run(h, () => h.fake.slash({ name: 'story', subcommand, channelId: thread, options, locale }));
    return replies.map((r) => r.content).join('\n');
  };

  it('says where a new story begins, and announces a vote the clock closes, in the starter’s language', async () => {
    const zh = await newStory('雪中的狐狸', 'zh-CN');
    expect(zh.note).toEqual([`📖 新故事在 <#${zh.thread}> 里开始。`]);
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'join', user: h.fake.bob, channelId: zh.thread }));
    const beat = h.fake.messagesIn(zh.thread)[0]!;
    const vote = await run(h, () => h.fake.click({ message: beat, customId: choiceId(beat, 2), locale: 'zh-CN' }));
    expect(vote.replies.map((r) => r.content)).toEqual([`Alice 投给了第 2 项：Take the right path。目前 1 票；投票在 60 秒后结束。`]);
    const before = h.fake.messagesIn(zh.thread).filter((m) => !(m.flags & 64)).length;
    h.backend.push('The right path climbs into the hills.');
    clock.advance(60_000);
    await h.engine.idle();
    const announced = h.fake
      .messagesIn(zh.thread)
      .filter((m) => !(m.flags & 64))
      .slice(before);
    expect(announced.map((m) => m.content)).toEqual([
      '投票结束：第 2 项“Take the right path”以 1 票（共 1 票）胜出。投票情况：Alice → 2。\n\nThe right path climbs into the hills.',
    ]);

    // An English starter's story: the note and the announcement stay English.
    const en = await newStory('A fox in the snow', 'en-US');
    expect(en.note).toEqual([`📖 A new story begins in <#${en.thread}>.`]);
    const enBeat = h.fake.messagesIn(en.thread)[0]!;
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'join', user: h.fake.bob, channelId: en.thread }));
    await run(h, () => h.fake.click({ message: enBeat, customId: choiceId(enBeat, 1) }));
    const enBefore = h.fake.messagesIn(en.thread).filter((m) => !(m.flags & 64)).length;
    h.backend.push('The left path goes down to the river.');
    clock.advance(60_000);
    await h.engine.idle();
    const enAnnounced = h.fake
      .messagesIn(en.thread)
      .filter((m) => !(m.flags & 64))
      .slice(enBefore);
    expect(enAnnounced.map((m) => m.content)).toEqual([
      'The vote is closed: 1. "Take the left path" wins with 1 of 1 vote. Votes: Alice → 1.\n\nThe left path goes down to the river.',
    ]);
  });

  it('adds to and lists the cast, and sets and clears the Author’s Note, in Chinese and in English', async () => {
    const { thread } = await newStory('最后的客栈', 'zh-CN');
    expect(await say(thread, 'cast list', 'zh-CN')).toBe('角色表是空的；用 /story cast add NAME [persona:…] [avatar:URL] 添加角色。');
    expect(await say(thread, 'cast add', 'zh-CN', { name: 'Mira', avatar: 'https://cdn.example.com/mira.png' })).toBe(
      'Mira 加入了角色表，带头像。旁白会以 Mira: "…" 的格式给 TA 台词。',
    );
    expect(await say(thread, 'cast add', 'en-US', { name: 'Old Tom' })).toBe(
      'Old Tom joins the cast (no avatar: they post with their name only). The narrator gives them lines as Old Tom: "…".',
    );
    expect(await say(thread, 'cast add', 'zh-CN', { name: 'mira' })).toBe('⚠️ mira 已经在角色表里了；要修改请先把 TA 移除。');
    expect(await say(thread, 'cast list', 'zh-CN')).toBe('角色表（2 个，最多 12 个）：\n- Mira，带头像\n- Old Tom');
    expect(await say(thread, 'cast list', 'en-US')).toBe('The cast (2 of at most 12):\n- Mira, with an avatar\n- Old Tom');
    expect(await say(thread, 'cast remove', 'zh-CN', { name: 'Nobody' })).toBe('⚠️ 角色表里没有 Nobody；现有：Mira, Old Tom。');
    expect(await say(thread, 'cast remove', 'zh-CN', { name: 'Old Tom' })).toBe('Old Tom 离开了角色表。');

    expect(await say(thread, 'note', 'zh-CN', { text: '多一点悬念' })).toBe('作者注已设置；旁白从下一段起会记住它：多一点悬念');
    expect(await say(thread, 'note', 'zh-CN')).toBe('作者注已清除。');
    expect(await say(thread, 'note', 'zh-CN')).toBe('没有可以清除的作者注；用 /story note TEXT 设置一个。');
    expect(await say(thread, 'note', 'en-US', { text: 'more suspense' })).toBe(
      'Author’s note set; the narrator keeps it in mind from the next beat: more suspense',
    );

    const show = async (locale: string) => {
      const { replies } = await run(h, () => h.fake.slash({ name: 'memory', subcommand: 'show', channelId: thread, locale }));
      return replies.map((r) => r.content).join('\n');
    };
    const chinese = await show('zh-CN');
    expect(chinese).toContain('故事：最后的客栈');
    expect(chinese).toContain('角色表：Mira');
    expect(chinese).toContain('作者注：more suspense');
    const english = await show('en-US');
    expect(english).toContain('Story: 最后的客栈');
    expect(english).toContain('Cast: Mira');
    expect(english).toContain('Author’s note: more suspense');
  });
});
