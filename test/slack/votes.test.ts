import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/engine/actions.js';
import { FakeClock } from '../support/fake-clock.js';
import type { FakeMessage } from '../support/fake-slack.js';
import { pollFeature, POLL_WINDOW_MS } from '../support/poll-command.js';
import { withFeatures } from '../support/engine.js';
import { ALICE, BOB, CHANNEL, DM, post, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const CAROL = 'UCAROL';
type Button = { action_id: string; value: string; style?: string; text: { text: string } };
const actionBlocks = (m: FakeMessage) => (m.blocks ?? []).filter((b) => b.type === 'actions') as unknown as Array<{ block_id: string; elements: Button[] }>;
const button = (m: FakeMessage, value: string) =>
  actionBlocks(m)
    .flatMap((b) => b.elements)
    .find((e) => e.value === value)!;

async function start(clock: FakeClock, maxFileBytes?: number) {
  h = await startHarness({ features: withFeatures(pollFeature), clock, ...(maxFileBytes ? { maxFileBytes } : {}) });
  h.slack.users.set(CAROL, { name: 'Carol' });
}

async function click(m: FakeMessage, value: string, user: string) {
  const res = await h.sender.click(button(m, value), {
    user,
    channel: m.channel,
    message: { ts: m.ts, text: m.text, blocks: m.blocks!, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) },
  });
  await h.bolt.idle();
  expect(res.status).toBe(200);
}

describe('Slack: votes by buttons, announcements, in-place replies, shared files', () => {
  it('renders rows as actions blocks with styles and unique action ids', async () => {
    await start(new FakeClock());
    await h.sender.command('/poll', 'start', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    const vote = h.slack.museMessages(CHANNEL).at(-1)!;
    const rows = actionBlocks(vote);
    expect(rows.map((r) => r.elements.map((e) => [e.value, e.style ?? 'default', e.text.text]))).toEqual([
      [
        [encodeAction({ command: 'poll', sub: 'vote', options: { choice: '1' } }), 'primary', 'Door 1'],
        [encodeAction({ command: 'poll', sub: 'vote', options: { choice: '2' } }), 'primary', 'Door 2'],
        [encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }), 'danger', 'Door 3'],
      ],
      [[encodeAction({ command: 'poll', sub: 'close' }), 'default', 'Close']],
    ]);
    const ids = rows.flatMap((r) => r.elements.map((e) => e.action_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(rows.map((r) => r.block_id)).size).toBe(rows.length);
    h.engine.close();
  });

  it('counts clicks from several people, answers each privately, keeps the buttons, and announces the tally', async () => {
    const clock = new FakeClock();
    await start(clock);
    await h.sender.command('/poll', 'start', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    const vote = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(vote.text).toBe('Which door, Bob? The vote closes in 60 s.');
    await click(vote, encodeAction({ command: 'poll', sub: 'vote', options: { choice: '2' } }), ALICE);
    await click(vote, encodeAction({ command: 'poll', sub: 'vote', options: { choice: '1' } }), BOB);
    await click(vote, encodeAction({ command: 'poll', sub: 'vote', options: { choice: '2' } }), CAROL);
    const eph = h.slack.callsOf('chat.postEphemeral').map((c) => [c.args.user, c.args.text, c.args.channel]);
    expect(eph).toEqual([
      [ALICE, 'Your vote for 2 is in.', CHANNEL],
      [BOB, 'Your vote for 1 is in.', CHANNEL],
      [CAROL, 'Your vote for 2 is in.', CHANNEL],
    ]);
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(1);
    expect(actionBlocks(h.slack.museMessages(CHANNEL)[0]!)).toHaveLength(2); // still there for the others

    clock.advance(POLL_WINDOW_MS - 1);
    await h.engine.idle();
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(1);
    clock.advance(1);
    await h.engine.idle();
    const tally = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(tally.text).toBe('The vote is closed: door 2 wins (Alice: 2, Bob: 1, Carol: 2).');
    expect(tally.thread_ts).toBeUndefined();
    expect(actionBlocks(tally)[0]!.elements.map((e) => e.value)).toEqual([encodeAction({ command: 'poll', sub: 'start' })]);

    // A late vote is refused to the clicker alone.
    await click(vote, encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }), CAROL);
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)!.args).toMatchObject({ user: CAROL, text: 'This vote is closed.' });
    expect(h.slack.museMessages(CHANNEL)).toHaveLength(2);
  });

  it('announces into the thread of a mention and into a DM', async () => {
    const clock = new FakeClock();
    await start(clock);
    const mention = post(h.slack, { type: 'app_mention', text: '<@UMUSE> /poll start' });
    await h.event(mention);
    await h.event(post(h.slack, { channel: DM, channel_type: 'im', text: '/poll start' }));
    const dmVote = h.slack.museMessages(DM).at(-1)!;
    await click(dmVote, encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }), ALICE);
    // In a DM the answer to a click is an ordinary message there (a DM is private already).
    expect(h.slack.museMessages(DM).at(-1)!.text).toBe('Your vote for 3 is in.');
    clock.advance(POLL_WINDOW_MS);
    await h.engine.idle();
    expect(h.slack.museMessages(CHANNEL, mention.ts).at(-1)!.text).toBe('The vote is closed; nobody voted.');
    expect(h.slack.museMessages(DM).at(-1)!.text).toBe('The vote is closed: door 3 wins (Alice: 3).');
  });

  it('a reply that starts with replace updates the clicked message in place (chat.update)', async () => {
    await start(new FakeClock());
    await h.sender.command('/poll', 'page n:1', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    const page = h.slack.museMessages(CHANNEL).at(-1)!;
    expect(page.text).toBe('Page 1 of 3 (turned by Alice)');
    const posts = h.slack.callsOf('chat.postMessage').length;
    await click(page, encodeAction({ command: 'poll', sub: 'page', options: { n: '2' } }), BOB);
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(posts);
    const now = h.slack.museMessages(CHANNEL);
    expect(now).toHaveLength(1);
    expect(now[0]!.ts).toBe(page.ts);
    expect(now[0]!.text).toBe('Page 2 of 3 (turned by Bob)');
    expect(actionBlocks(now[0]!)[0]!.elements.map((e) => e.value)).toEqual([
      encodeAction({ command: 'poll', sub: 'page', options: { n: '1' } }),
      encodeAction({ command: 'poll', sub: 'page', options: { n: '3' } }),
    ]);
  });

  it('passes files shared with a command in text form (DM, no slash) to the command, downloaded with the bot token', async () => {
    await start(new FakeClock());
    const card = JSON.stringify({ spec: 'chara_card_v2', data: { name: 'Ember' } });
    const file = h.slack.addFile('ember.json', card);
    await h.event({ ...post(h.slack, { channel: DM, channel_type: 'im', text: 'poll upload' }), subtype: 'file_share', files: [file] });
    expect(h.slack.downloads).toEqual([{ path: expect.stringContaining('/download/ember.json'), authorized: true }]);
    expect(h.slack.museMessages(DM).at(-1)!.text).toBe(`ember.json (application/json, ${card.length} bytes): ${card.slice(0, 40)}`);

    // A plain message with a file is a turn, and a turn takes pictures only: a JSON file gets a sentence, unfetched, and no model call.
    await h.event({
      ...post(h.slack, { channel: DM, channel_type: 'im', text: 'look at this' }),
      subtype: 'file_share',
      files: [h.slack.addFile('x.json', '{}')],
    });
    expect(h.slack.downloads).toHaveLength(1);
    expect(h.backend.calls).toHaveLength(0);
    expect(h.slack.museMessages(DM).at(-1)!.text).toContain('"x.json" is not a PNG, JPEG, GIF or WebP picture, so nothing was sent.');
  });

  it('in a Muse thread, /command with a file works too; a file over the cap is refused in one sentence', async () => {
    await start(new FakeClock(), 1024);
    const root = post(h.slack, { type: 'app_mention', text: '<@UMUSE> hello' });
    await h.event(root);
    await h.event({
      ...post(h.slack, { text: '/poll upload', thread_ts: root.ts }),
      subtype: 'file_share',
      files: [h.slack.addFile('w.json', '{"entries":{}}')],
    });
    expect(h.slack.museMessages(CHANNEL, root.ts).at(-1)!.text).toMatch(/^w\.json \(application\/json, 14 bytes\)/);

    await h.event({
      ...post(h.slack, { text: '/poll upload', thread_ts: root.ts, user: BOB }),
      subtype: 'file_share',
      files: [h.slack.addFile('big.png', 'x'.repeat(2048), 'image/png')],
    });
    expect(h.slack.downloads).toHaveLength(1); // refused on the announced size, never fetched
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)!.args).toMatchObject({ user: BOB, text: 'The file "big.png" is 2 KB; Muse takes files up to 1 KB.' });
  });
});
