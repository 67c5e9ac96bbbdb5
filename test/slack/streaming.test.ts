import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import type { ReplyPart } from '../../src/engine/parts.js';
import { FakeBackend } from '../../src/model/fake.js';
import { ModelError } from '../../src/model/types.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { ALICE, BOB, CHANNEL, DM, post, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const mention = (text: string) => ({ type: 'app_mention', text: `<@UMUSE> ${text}` });
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A reply arriving in parts, a little apart, so the stream is started and then appended to. */
const slowly = (...parts: Array<string | ModelError>) => new FakeBackend().push({ parts, delayMs: 15 });
const STORY = ['Once upon a time, ', 'a fox & a crow ', 'met <!here> and <@U123>, ', 'and argued about cheese. ', 'The crow won.'];

type Feedback = { type: string; action_id: string; positive_button: { value: string }; negative_button: { value: string } };
function feedbackOf(m: FakeMessage): Feedback | undefined {
  const block = m.blocks?.find((b) => b.type === 'context_actions') as { elements: Feedback[] } | undefined;
  return block?.elements.find((e) => e.type === 'feedback_buttons');
}

describe('Slack native streaming (chat.startStream / appendStream / stopStream)', () => {
  it('streams a reply in a mention’s thread: complete, escaped, feedback buttons at the end', async () => {
    h = await startHarness({ backend: slowly(...STORY) });
    const ev = post(h.slack, mention('a fable'));
    await h.event(ev);
    const start = h.slack.callsOf('chat.startStream');
    expect(start).toHaveLength(1);
    expect(start[0]!.args).toMatchObject({ channel: CHANNEL, thread_ts: ev.ts, recipient_user_id: ALICE, recipient_team_id: 'T1' });
    expect(h.slack.callsOf('chat.appendStream').length).toBeGreaterThanOrEqual(1);
    expect(h.slack.callsOf('chat.stopStream')).toHaveLength(1);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
    expect(h.slack.callsOf('chat.update')).toHaveLength(0);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(escaped(STORY.join('')));
    expect(replies[0]!.streaming).toBe(false);
    // Every markdown_text sent was escaped: nothing can ping.
    const sent = h.slack.calls.filter((c) => c.method.endsWith('Stream')).map((c) => (typeof c.args.markdown_text === 'string' ? c.args.markdown_text : ''));
    expect(sent.join('')).not.toMatch(/<[!@#]/);
    const feedback = feedbackOf(replies[0]!);
    expect(feedback).toMatchObject({ action_id: 'muse_feedback', positive_button: { value: 'good' }, negative_button: { value: 'bad' } });
  });

  it('records a 👍/👎 per reply and person, changeable, acknowledged privately, with no model call', async () => {
    h = await startHarness({ backend: slowly('A short tale.') });
    const ev = post(h.slack, mention('a tale'));
    await h.event(ev);
    const reply = h.slack.museMessages(CHANNEL, ev.ts)[0]!;
    const click = async (user: string, value: 'good' | 'bad') => {
      const res = await h!.sender.click(
        { type: 'feedback_buttons', action_id: 'muse_feedback', value },
        { user, channel: CHANNEL, message: { ts: reply.ts, thread_ts: ev.ts, text: reply.text, blocks: reply.blocks ?? [] } },
      );
      expect(res.status).toBe(200);
      await h!.bolt.idle();
    };
    const conversation = conversationKey({ platform: 'slack', workspace: 'T1', channel: CHANNEL, thread: ev.ts });
    await click(ALICE, 'good');
    expect(await h.engine.feedback.get(conversation, reply.ts, ALICE)).toMatchObject({ user: ALICE, vote: 'good', message: reply.ts });
    await click(ALICE, 'bad');
    await click(BOB, 'good');
    expect(await h.engine.feedback.get(conversation, reply.ts, ALICE)).toMatchObject({ vote: 'bad' });
    expect(await h.engine.feedback.get(conversation, reply.ts, BOB)).toMatchObject({ vote: 'good' });
    const acks = h.slack.callsOf('chat.postEphemeral');
    expect(acks.map((c) => c.args.user)).toEqual([ALICE, ALICE, BOB]);
    expect(String(acks[1]!.args.text)).toContain('👎');
    expect(h.backend.calls).toHaveLength(1);
  });

  it('streams in the assistant pane (a DM thread, no recipient needed)', async () => {
    h = await startHarness({ backend: slowly('The sea ', 'is wide.') });
    const threadTs = h.slack.nextTs();
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'a poem about the sea', thread_ts: threadTs }));
    expect(h.slack.callsOf('chat.startStream')[0]!.args).toMatchObject({ channel: DM, thread_ts: threadTs });
    const replies = h.slack.museMessages(DM, threadTs);
    expect(replies.map((m) => m.text)).toEqual(['The sea is wide.']);
    expect(feedbackOf(replies[0]!)).toBeDefined();
  });

  it('ends the stream with the error sentence when the model fails mid-reply', async () => {
    h = await startHarness({ backend: slowly('The dragon ', 'rose ', new ModelError('interrupted', 'The model server stopped answering.')) });
    const ev = post(h.slack, mention('go'));
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies).toHaveLength(1);
    // Markdown ignores the space the stream already sent before the gap.
    expect(replies[0]!.text).toMatch(/^The dragon rose \n\n⚠️ The model server stopped answering\./);
    expect(replies[0]!.streaming).toBe(false);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('goes on in a new streamed message at the size limit, nothing lost, feedback on the last', async () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Paragraph ${i + 1}. ` + 'The fox ran on. '.repeat(6).trim());
    const long = paragraphs.join('\n\n');
    h = await startHarness({ backend: new FakeBackend({ chunkSize: 40 }).push(long), streamLimit: 300 });
    const ev = post(h.slack, mention('a long one'));
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies.length).toBeGreaterThanOrEqual(Math.ceil(long.length / 300));
    for (const m of replies) expect(m.text.length).toBeLessThanOrEqual(300);
    for (const m of replies.slice(0, -1)) expect(m.text.endsWith('\n\n')).toBe(true);
    expect(replies.map((m) => m.text).join('')).toBe(long);
    expect(replies.map((m) => !!feedbackOf(m))).toEqual([...replies.slice(1).map(() => false), true]);
    expect(replies.every((m) => m.streaming === false)).toBe(true);
  });

  it('puts Muse’s buttons under the streamed reply with the feedback buttons (or in a message of their own if stopStream fails)', async () => {
    const beat = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path';
    h = await startHarness({ backend: new FakeBackend().push(beat, beat) });
    const ev = post(h.slack, mention('/story new a brave fox'));
    await h.event(ev);
    const reply = h.slack.museMessages(CHANNEL, ev.ts)[0]!;
    const types = reply.blocks!.map((b) => b.type);
    expect(types.at(-1)).toBe('context_actions'); // feedback last, Muse's rows of buttons above it
    expect(types.slice(0, -1).length).toBeGreaterThanOrEqual(1);
    expect(types.slice(0, -1).every((t) => t === 'actions')).toBe(true);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);

    h.slack.failOnce('chat.stopStream', 'message_not_in_streaming_state');
    const again = post(h.slack, mention('/story new a braver fox'));
    await h.event(again);
    const replies = h.slack.museMessages(CHANNEL, again.ts);
    expect(replies.map((m) => m.text)).toEqual([escaped(beat), 'What next?']);
    expect(replies[1]!.blocks!.every((b) => b.type === 'actions')).toBe(true);
  });

  it.each(['method_not_supported_for_channel_type', 'not_allowed', 'missing_scope', 'unknown_method'])(
    'falls back to chat.postMessage / chat.update when Slack refuses the stream (%s)',
    async (error) => {
      h = await startHarness({ backend: slowly(...STORY) });
      h.slack.streamRefusal = error;
      const ev = post(h.slack, mention('a fable'));
      await h.event(ev);
      expect(h.slack.callsOf('chat.startStream')).toHaveLength(1);
      expect(h.slack.callsOf('chat.appendStream')).toHaveLength(0);
      const replies = h.slack.museMessages(CHANNEL, ev.ts);
      expect(replies.map((m) => m.text)).toEqual([escaped(STORY.join(''))]);
      expect(h.slack.callsOf('chat.postMessage')[0]!.args).toMatchObject({ channel: CHANNEL, thread_ts: ev.ts });
    },
  );

  it('falls back for the rest of the reply when an append fails mid-stream, nothing lost or doubled', async () => {
    h = await startHarness({ backend: slowly(...STORY) });
    h.slack.failOnce('chat.appendStream', 'message_not_in_streaming_state');
    const ev = post(h.slack, mention('a fable'));
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies.length).toBe(2);
    expect(replies[0]!.streaming).toBe(false); // the stream was stopped as it stood
    expect(replies.map((m) => m.text).join('')).toBe(escaped(STORY.join('')));
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('keeps chat.postMessage / chat.update for top-level DM replies and announcements', async () => {
    h = await startHarness({ backend: slowly('A reply ', 'in a DM.') });
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'hello' }));
    expect(h.slack.museMessages(DM).map((m) => m.text)).toEqual(['A reply in a DM.']);
    const ev = post(h.slack, mention('hi'));
    const ref = { platform: 'slack', workspace: 'T1', channel: CHANNEL, thread: ev.ts };
    await h.engine.announce(ref, async function* (): AsyncGenerator<ReplyPart> {
      yield { type: 'text', text: 'The vote has closed.' };
      yield { type: 'done', text: '' };
    });
    expect(h.slack.museMessages(CHANNEL, ev.ts).map((m) => m.text)).toEqual(['The vote has closed.']);
    expect(h.slack.callsOf('chat.startStream')).toHaveLength(0);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(2);
  });
});
