import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import { ModelError } from '../../src/model/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { ADMIN, ALICE, BOB, CHANNEL, DM, post, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const mention = (text: string, extra: { thread_ts?: string; user?: string } = {}) => ({ text: `<@UMUSE> ${text}`, ...extra });
const allText = (h: Harness) => h.backend.calls.map((c) => c.messages.map((m) => m.content).join('\n'));

describe('Slack adapter through the real Bolt app', () => {
  it('answers a mention in a thread under it, with the speaker’s display name', async () => {
    h = await startHarness();
    const ev = post(h.slack, { type: 'app_mention', ...mention('tell me about a fox') });
    const res = await h.event(ev);
    expect(res.status).toBe(200);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('tell me about a fox');
    expect(allText(h)[0]).toContain('Alice: tell me about a fox');
    expect(allText(h)[0]).not.toContain('UMUSE');
  });

  it('continues the thread without a new mention, carrying the earlier turns', async () => {
    h = await startHarness();
    const first = post(h.slack, { type: 'app_mention', ...mention('a knight finds a map') });
    await h.event(first);
    await h.event(post(h.slack, { text: 'she follows it north', thread_ts: first.ts, user: BOB }));
    expect(h.backend.calls).toHaveLength(2);
    const second = allText(h)[1]!;
    expect(second).toContain('Alice: a knight finds a map');
    expect(second).toContain('Reply 1 to');
    expect(second).toContain('Bob: she follows it north');
    expect(h.slack.museMessages(CHANNEL, first.ts)).toHaveLength(2);
    // A plain message in the channel, outside Muse's threads, is not a turn.
    await h.event(post(h.slack, { text: 'lunch?' }));
    expect(h.backend.calls).toHaveLength(2);
  });

  it('picks up a thread Muse was in before a restart (conversations.replies)', async () => {
    h = await startHarness();
    const root = h.slack.seed({ channel: CHANNEL, text: '<@UMUSE> hi', user: ALICE });
    h.slack.seed({ channel: CHANNEL, thread_ts: root.ts, text: 'Hello!', user: 'UMUSE', bot_id: 'BMUSE' });
    const other = h.slack.seed({ channel: CHANNEL, text: 'not Muse', user: BOB });
    await h.event(post(h.slack, { text: 'and then?', thread_ts: root.ts }));
    await h.event(post(h.slack, { text: 'unrelated', thread_ts: other.ts }));
    expect(h.backend.calls).toHaveLength(1);
    expect(h.slack.museMessages(CHANNEL, root.ts)).toHaveLength(2);
  });

  it('answers a post that arrives as both app_mention and message once', async () => {
    h = await startHarness();
    const first = post(h.slack, { type: 'app_mention', ...mention('start') });
    await h.event(first);
    // A mention inside Muse's thread: Slack sends message first, then app_mention, for the same post.
    const again = post(h.slack, { ...mention('go on'), thread_ts: first.ts });
    await h.event(again);
    await h.event({ ...again, type: 'app_mention' });
    // A top-level mention, both events.
    const top = post(h.slack, mention('a new tale'));
    await h.event({ ...top, type: 'app_mention' });
    await h.event(top);
    expect(h.backend.calls).toHaveLength(3);
    expect(h.slack.museMessages(CHANNEL, first.ts)).toHaveLength(2);
    expect(h.slack.museMessages(CHANNEL, top.ts)).toHaveLength(1);
  });

  it('never answers a re-delivered event twice (X-Slack-Retry-Num)', async () => {
    h = await startHarness();
    const ev = post(h.slack, { type: 'app_mention', ...mention('once only') });
    const first = await h.event(ev);
    const retry = await h.event(ev, { eventId: first.eventId, retryNum: 1 });
    const retry2 = await h.event(ev, { eventId: first.eventId, retryNum: 2 });
    expect([first.status, retry.status, retry2.status]).toEqual([200, 200, 200]);
    expect(h.backend.calls).toHaveLength(1);
    expect(h.slack.museMessages(CHANNEL, ev.ts)).toHaveLength(1);
    expect((await h.store.getMeta(`slack:T1:${CHANNEL}:${encodeURIComponent(ev.ts)}`))?.count).toBe(2);
  });

  it('never answers its own posts or other bots', async () => {
    h = await startHarness();
    const first = post(h.slack, { type: 'app_mention', ...mention('hello') });
    await h.event(first);
    const own = h.slack.museMessages(CHANNEL, first.ts)[0]!;
    await h.event({
      type: 'message',
      channel: CHANNEL,
      channel_type: 'channel',
      user: 'UMUSE',
      bot_id: 'BMUSE',
      text: own.text,
      ts: own.ts,
      thread_ts: first.ts,
    });
    await h.event({
      type: 'message',
      subtype: 'bot_message',
      channel: CHANNEL,
      channel_type: 'channel',
      bot_id: 'BOTHER',
      text: 'beep',
      ts: h.slack.nextTs(),
      thread_ts: first.ts,
    });
    await h.event({ type: 'message', channel: DM, channel_type: 'im', user: 'UMUSE', bot_id: 'BMUSE', text: 'hi', ts: h.slack.nextTs() });
    expect(h.backend.calls).toHaveLength(1);
  });

  it('rejects a bad signature with 401 and calls no model', async () => {
    h = await startHarness();
    const res = await h.sender.event(post(h.slack, { type: 'app_mention', ...mention('forged') }), { secret: 'wrong-secret' });
    await h.bolt.idle();
    expect(res.status).toBe(401);
    expect(h.backend.calls).toHaveLength(0);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('runs a slash command: ack at once, reply in the channel with buttons, and a button continues it', async () => {
    h = await startHarness();
    const res = await h.sender.command('/story', 'new a brave fox', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(res.status).toBe(200);
    expect(allText(h)[0]).toContain('Premise: a brave fox');
    const reply = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(reply.thread_ts).toBeUndefined();
    const actions = reply.blocks?.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> } | undefined;
    expect(actions?.elements.map((e) => decodeAction(e.value))).toEqual(['continue', 'retry', 'undo'].map((sub) => ({ command: { name: 'story', sub } })));

    const cont = actions!.elements[0]!;
    const click = await h.sender.click(cont, { user: BOB, channel: CHANNEL, message: { ts: reply.ts, text: reply.text, blocks: reply.blocks! } });
    await h.bolt.idle();
    expect(click.status).toBe(200);
    expect(h.backend.calls).toHaveLength(2);
    expect(allText(h)[1]).toContain('Bob: Continue the story.');
    expect(allText(h)[1]).toContain('Premise: a brave fox'); // same conversation
    // The used buttons are gone from the clicked message; the new reply has its own.
    expect(h.slack.museMessages(CHANNEL)[0]!.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect(
      h.slack
        .museMessages(CHANNEL)
        .at(-1)!
        .blocks?.some((b) => b.type === 'actions'),
    ).toBe(true);
  });

  it('answers /muse-help and shows command errors only to the person who asked', async () => {
    h = await startHarness();
    await h.sender.command('/muse-help', '', { user: ALICE, channel: CHANNEL });
    await h.sender.command('/story', 'fly away', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(1);
    expect(h.slack.museMessages(CHANNEL)[0]!.text).toContain('/story new &lt;premise&gt;');
    const eph = h.slack.callsOf('chat.postEphemeral');
    expect(eph).toHaveLength(1);
    expect(eph[0]!.args).toMatchObject({ channel: CHANNEL, user: BOB });
    expect(String(eph[0]!.args.text)).toContain('has no subcommand');
    expect(h.backend.calls).toHaveLength(0);
  });

  it('a busy conversation never holds more than one turn slot: others are answered meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = (req: { messages: Array<{ content: string }> }) => {
      const last = req.messages.at(-1)!.content;
      if (last.endsWith('hello')) return 'Other reply.';
      return { parts: [last.endsWith('first') ? 'Slow reply.' : 'Second slow reply.'], after: gate };
    };
    const backend = new FakeBackend().push(answer, answer, answer);
    h = await startHarness({ backend, limits: { maxTurns: 2 } });
    // Two slots. Two messages queue in Alice's DM behind a model that does not answer yet...
    await h.sender.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'first' }));
    await h.sender.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'second' }));
    // ...and Bob's conversation is still answered.
    await h.sender.event(post(h.slack, { channel: 'D0BOB', channel_type: 'im', user: BOB, text: 'hello' }));
    await h.slack.waitFor(() => h.slack.museMessages('D0BOB').some((m) => m.text.includes('Other reply.')));
    expect(h.slack.museMessages(DM).filter((m) => m.text.includes('Slow reply.'))).toHaveLength(0);
    release();
    await h.bolt.idle();
    expect(h.slack.museMessages(DM).map((m) => m.text)).toEqual(['Slow reply.', 'Second slow reply.']);
  });

  it('treats every DM as a turn, answered in the DM', async () => {
    h = await startHarness();
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'teach me fractions' }));
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: 'what is a half?' }));
    expect(h.backend.calls).toHaveLength(2);
    expect(allText(h)[1]).toContain('Alice: teach me fractions');
    const replies = h.slack.museMessages(DM);
    expect(replies).toHaveLength(2);
    expect(replies.every((m) => m.thread_ts === undefined)).toBe(true);
  });

  it('runs the assistant pane: suggested prompts, a title, a status, a threaded reply', async () => {
    h = await startHarness();
    const threadTs = h.slack.nextTs();
    await h.event({
      type: 'assistant_thread_started',
      assistant_thread: { user_id: ALICE, channel_id: DM, thread_ts: threadTs, context: {} },
      event_ts: threadTs,
      ts: threadTs,
    });
    const prompts = h.slack.callsOf('assistant.threads.setSuggestedPrompts');
    expect(prompts).toHaveLength(1);
    expect((prompts[0]!.args.prompts as unknown[]).length).toBe(3);
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/poem the sea', thread_ts: threadTs }));
    expect(h.slack.callsOf('assistant.threads.setTitle')[0]!.args).toMatchObject({ channel_id: DM, thread_ts: threadTs });
    expect(h.slack.callsOf('assistant.threads.setStatus')[0]!.args).toMatchObject({ status: 'is writing…' });
    expect(h.slack.museMessages(DM, threadTs)).toHaveLength(1);
    expect(h.backend.calls).toHaveLength(1);
  });

  it('splits a long reply at paragraph breaks with nothing lost (chat.postMessage / chat.update)', async () => {
    const paragraphs = Array.from({ length: 24 }, (_, i) => `Paragraph ${i + 1}. ` + 'The fox ran on through the snow. '.repeat(10).trim());
    const long = paragraphs.join('\n\n');
    h = await startHarness({ backend: new FakeBackend({ chunkSize: 97 }).push(long), nativeStreaming: false });
    const ev = post(h.slack, { type: 'app_mention', ...mention('a long one') });
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(long.length).toBeGreaterThan(3000 * 2);
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const m of replies) {
      expect(m.text.length).toBeLessThanOrEqual(3000);
      expect(m.text.startsWith('Paragraph')).toBe(true);
    }
    expect(replies.map((m) => m.text).join('')).toBe(long);
  });

  it('escapes mention tokens in model output so nobody is pinged', async () => {
    const nasty = 'Hear ye <!channel> <!here> <!everyone> <@U123> <!subteam^S1|@team> & <https://x.test|link>';
    h = await startHarness({ backend: new FakeBackend().push(nasty) });
    const ev = post(h.slack, { type: 'app_mention', ...mention('announce') });
    await h.event(ev);
    const text = h.slack.museMessages(CHANNEL, ev.ts)[0]!.text;
    expect(text).not.toMatch(/[<>]/);
    expect(text).toBe('Hear ye &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;!subteam^S1|@team&gt; &amp; &lt;https://x.test|link&gt;');
    for (const c of h.slack.callsOf('chat.postMessage')) expect([false, 'false']).toContain(c.args.link_names);
  });

  it('ends a reply cut off by a model failure with a clear sentence (chat.postMessage / chat.update)', async () => {
    const backend = new FakeBackend().push({ parts: ['Once upon a time, ', 'a fox', new ModelError('connection', 'The model server stopped answering.')] });
    h = await startHarness({ backend, nativeStreaming: false });
    const ev = post(h.slack, { type: 'app_mention', ...mention('go') });
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies[0]!.text).toBe('Once upon a time, a fox');
    expect(replies.at(-1)!.text).toContain('The model server stopped answering. The reply was cut off and was not saved.');
    expect(replies.at(-1)!.text).not.toMatch(/Error|at .*\.ts/);
  });

  it('limits manager-only commands in channels to admins and the manager group', async () => {
    h = await startHarness({ managerGroup: 'muse-admins' });
    h.slack.usergroups.set('SMANAGERS', { handle: 'muse-admins', users: [BOB] });
    h.slack.users.set('UCAROL', { name: 'Carol' });
    await h.sender.command('/memory', 'clear', { user: 'UCAROL', channel: CHANNEL });
    await h.bolt.idle();
    const refused = h.slack.callsOf('chat.postEphemeral');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.args).toMatchObject({ user: 'UCAROL' });
    expect(String(refused[0]!.args.text)).toContain('Only people who can manage this channel');
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(0);

    await h.sender.command('/memory', 'clear', { user: ADMIN, channel: CHANNEL });
    await h.sender.command('/persona', 'use poet', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    expect(h.slack.callsOf('chat.postEphemeral')).toHaveLength(1);
    expect(
      h.slack
        .museMessages(CHANNEL)
        .map((m) => m.text)
        .join('\n'),
    ).toContain('Muse has forgotten this conversation.');
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(2);

    // In a DM, anyone may.
    await h.sender.command('/memory', 'clear', { user: 'UCAROL', channel: 'DCAROL' });
    await h.bolt.idle();
    expect(h.slack.museMessages('DCAROL')).toHaveLength(1);
  });

  it('answers /persona show to the person who asked alone, in one message, however long the prompt', async () => {
    h = await startHarness();
    const root = post(h.slack, { type: 'app_mention', text: '<@UMUSE> hello' });
    await h.event(root);
    const card = { spec: 'chara_card_v2', data: { name: 'Ember', description: 'A dragon. '.repeat(700), first_mes: 'Ember wakes.' } };
    const file = h.slack.addFile('ember.json', Buffer.from(JSON.stringify(card)));
    await h.event({ ...post(h.slack, { text: '/persona import', thread_ts: root.ts, user: ADMIN }), subtype: 'file_share', files: [file] });
    expect(h.slack.museMessages(CHANNEL, root.ts).at(-1)!.text).toMatch(/^Imported Ember as the persona "ember" for this workspace/);
    const posted = h.slack.callsOf('chat.postMessage').length;
    await h.sender.command('/persona', 'show ember', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(posted);
    const shown = h.slack.callsOf('chat.postEphemeral');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.args).toMatchObject({ channel: CHANNEL, user: BOB });
    expect(String(shown[0]!.args.text).length).toBeLessThanOrEqual(2000);
    expect(String(shown[0]!.args.text)).toMatch(/^ember \(chat\): [\s\S]*…\(\d[\d,]* more characters\)$/);
  });

  it('looks rights up each time a command needs them: an admin demoted or a member taken out of the group is refused at once', async () => {
    h = await startHarness({ managerGroup: 'muse-admins' });
    h.slack.usergroups.set('SMANAGERS', { handle: 'muse-admins', users: [BOB] });
    await h.sender.command('/memory', 'clear', { user: ADMIN, channel: CHANNEL });
    await h.sender.command('/memory', 'clear', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    expect(h.slack.callsOf('chat.postEphemeral')).toHaveLength(0);
    h.slack.users.set(ADMIN, { name: 'Ada', is_admin: false });
    h.slack.usergroups.set('SMANAGERS', { handle: 'muse-admins', users: [] });
    await h.sender.command('/memory', 'clear', { user: ADMIN, channel: CHANNEL });
    await h.sender.command('/memory', 'clear', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    const refused = h.slack.callsOf('chat.postEphemeral').map((c) => [c.args.user, String(c.args.text)]);
    expect(refused).toEqual([
      [ADMIN, 'Only people who can manage this channel may use /memory clear here.'],
      [BOB, 'Only people who can manage this channel may use /memory clear here.'],
    ]);
  });

  it('uploads an exported story as a file (files.uploadV2)', async () => {
    h = await startHarness();
    await h.sender.command('/story', 'new a brave fox', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    await h.sender.command('/story', 'export', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(h.slack.uploads).toHaveLength(1);
    expect(h.slack.uploads[0]!.body).toContain('a brave fox');
    expect(h.slack.callsOf('files.completeUploadExternal')[0]!.args).toMatchObject({ channel_id: CHANNEL });
  });
});
