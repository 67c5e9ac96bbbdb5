import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../src/model/fake.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { TrapServer } from '../support/trap-server.js';
import { ALICE, BOB, CHANNEL, DM, post, startHarness, type Harness } from './harness.js';

/** Slack's own words to a user outside a turn, in the user's Slack locale (or /language): feedback, the assistant pane, a channel Muse is not in. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Button = { accessibility_label: string };
type Feedback = { type: string; positive_button: Button; negative_button: Button };
function feedbackOf(m: FakeMessage): Feedback | undefined {
  const block = m.blocks?.find((b) => b.type === 'context_actions') as { elements: Feedback[] } | undefined;
  return block?.elements.find((e) => e.type === 'feedback_buttons');
}

describe("Slack: Muse's words around a reply in the user's language", () => {
  it('answers a 👍/👎 click in Chinese to a zh-CN user and in English to an en-US user; the feedback buttons are labelled in the asker’s language', async () => {
    h = await startHarness({ backend: new FakeBackend().push({ parts: ['一个', '短故事。'], delayMs: 15 }, { parts: ['A short ', 'tale.'], delayMs: 15 }) });
    h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
    h.slack.users.set(BOB, { name: 'Bob', locale: 'en-US' });
    const asked = post(h.slack, { type: 'app_mention', text: '<@UMUSE> 讲个故事' });
    await h.event(asked);
    const reply = h.slack.museMessages(CHANNEL, asked.ts)[0]!;
    expect(feedbackOf(reply)).toMatchObject({ positive_button: { accessibility_label: '好回复' }, negative_button: { accessibility_label: '差回复' } });
    const click = async (user: string, value: 'good' | 'bad') => {
      const res = await h!.sender.click(
        { type: 'feedback_buttons', action_id: 'muse_feedback', value },
        { user, channel: CHANNEL, message: { ts: reply.ts, thread_ts: asked.ts, text: reply.text, blocks: reply.blocks ?? [] } },
      );
      expect(res.status).toBe(200);
      await h!.bolt.idle();
    };
    await click(ALICE, 'good');
    await click(BOB, 'bad');
    const acks = h.slack.callsOf('chat.postEphemeral').map((c) => [c.args.user, String(c.args.text)]);
    expect(acks).toEqual([
      [ALICE, '谢谢你的 👍，已记下。'],
      [BOB, 'Thanks for the 👎. Noted.'],
    ]);

    const bobAsked = post(h.slack, { type: 'app_mention', text: '<@UMUSE> a tale', user: BOB });
    await h.event(bobAsked);
    const bobReply = h.slack.museMessages(CHANNEL, bobAsked.ts)[0]!;
    expect(feedbackOf(bobReply)).toMatchObject({
      positive_button: { accessibility_label: 'Good reply' },
      negative_button: { accessibility_label: 'Bad reply' },
    });
  });

  it('the assistant pane greets a zh-CN user (title and suggestions) and shows its status in Chinese; an en-US user in English', async () => {
    h = await startHarness();
    h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
    h.slack.users.set(BOB, { name: 'Bob', locale: 'en-US' });
    const start = async (user: string) => {
      const threadTs = h!.slack.nextTs();
      await h!.event({
        type: 'assistant_thread_started',
        assistant_thread: { user_id: user, channel_id: DM, thread_ts: threadTs, context: {} },
        event_ts: threadTs,
        ts: threadTs,
      });
      return threadTs;
    };
    const threadTs = await start(ALICE);
    await start(BOB);
    expect(h.slack.callsOf('assistant.threads.setSuggestedPrompts').map((c) => c.args.title)).toEqual([
      'Muse 和你一起写。试试：',
      'Muse writes with you. Try:',
    ]);
    // The features' suggestions too: Chinese ones for Alice (a Chinese form for the poem), English for Bob.
    const [zh, en] = h.slack.callsOf('assistant.threads.setSuggestedPrompts').map((c) => c.args.prompts as Array<{ title: string; message: string }>);
    expect(zh!.map((p) => p.title)).toEqual(['给我讲个故事', '写一首诗', '教我点东西']);
    expect(zh!.find((p) => p.message.startsWith('/poem'))!.message).toBe('/poem 冬天的第一场雪 form:jueju5');
    expect(en!.map((p) => p.title)).toEqual(['Tell me a story', 'Write a poem', 'Teach me something']);
    expect(en!.find((p) => p.message.startsWith('/story'))!.message).toBe('/story new a lighthouse keeper finds a door in the sea');
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/poem the sea', thread_ts: threadTs }));
    expect(h.slack.callsOf('assistant.threads.setStatus')[0]!.args).toMatchObject({ status: '正在写…' });
  });

  it('tells a zh-CN user in Chinese that Muse is not a member of the channel', async () => {
    h = await startHarness();
    h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
    h.slack.users.set(BOB, { name: 'Bob', locale: 'en-US' });
    h.slack.failures.set('chat.postMessage', 'not_in_channel');
    await h.sender.command('/muse-help', '', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    await h.sender.command('/muse-help', '', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    const said = h.slack.responses.map((r) => String(r.body.text));
    expect(said).toContain('Muse 不是这个频道的成员，所以没法发出回复。请用 /invite @Muse 邀请它，然后再试一次。');
    expect(said).toContain('Muse is not a member of this channel, so it could not post its reply. Invite it with /invite @Muse and try again.');
  });

  it('refuses a shared file from outside Slack, and a picture too many, in Chinese to a zh-CN user', async () => {
    h = await startHarness();
    const trap = await new TrapServer().start();
    try {
      h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
      const file = { ...h.slack.addFile('world.json', Buffer.from('{}')), url_private: `${trap.origin}/x`, url_private_download: `${trap.origin}/x` };
      await h.event({ ...post(h.slack, { channel: DM, channel_type: 'im', text: 'lore import' }), subtype: 'file_share', files: [file] });
      expect(trap.requests).toEqual([]);
      expect(h.slack.museMessages(DM).at(-1)!.text).toBe(':warning: Muse 只接受来自 Slack 自己的文件存储的文件，所以没有下载“world.json”。');
      const pictures = Array.from({ length: 5 }, (_, i) => h!.slack.addFile(`p${i}.png`, Buffer.from('png'), 'image/png'));
      await h.event({ ...post(h.slack, { channel: DM, channel_type: 'im', text: 'look' }), subtype: 'file_share', files: pictures });
      expect(h.slack.museMessages(DM).at(-1)!.text).toBe(':warning: Muse 每条消息最多接受 4 张图片，这次来了 5 张，所以什么都没有发送。');
      expect(h.backend.calls).toHaveLength(0);
    } finally {
      await trap.close();
    }
  });
});
