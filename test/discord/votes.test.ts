import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/engine/actions.js';
import { FakeClock } from '../support/fake-clock.js';
import { snowflake, type Stored } from '../support/fake-discord.js';
import { startHarness, type Harness, runInteraction } from './harness.js';
import { pollFeature, POLL_WINDOW_MS } from '../support/poll-command.js';
import { withFeatures } from '../support/engine.js';

const run = runInteraction;

const buttons = (m: Stored) => m.components.map((row: any) => row.components.map((b: any) => ({ id: b.custom_id, style: b.style, label: b.label })));

describe('discord: votes by buttons, announcements, in-place replies, attachments', () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await startHarness({ features: withFeatures(pollFeature), clock, maxAttachmentBytes: 1024 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders choice buttons on one row with their styles, the rest on the next', async () => {
    const { replies } = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'start' }));
    expect(replies).toHaveLength(1);
    expect(buttons(replies[0]!)).toEqual([
      [
        { id: encodeAction({ command: 'poll', sub: 'vote', options: { choice: '1' } }), style: 1, label: 'Door 1' },
        { id: encodeAction({ command: 'poll', sub: 'vote', options: { choice: '2' } }), style: 1, label: 'Door 2' },
        { id: encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }), style: 4, label: 'Door 3' },
      ],
      [{ id: encodeAction({ command: 'poll', sub: 'close' }), style: 2, label: 'Close' }],
    ]);
    h.engine.close(); // this window is not under test
  });

  it('counts clicks from several people on one message, answers each privately, and announces the tally when the window closes', async () => {
    const carol = h.fake.addUser('carol', 'Carol');
    const { replies } = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'start', user: h.fake.bob }));
    const vote = replies[0]!;
    const before = h.fake.messagesIn(h.fake.channelId).length;

    const clicks = [
      { user: h.fake.alice, choice: 2 },
      { user: h.fake.bob, choice: 1 },
      { user: carol, choice: 2 },
    ];
    for (const c of clicks) {
      const click = await run(h, () =>
        h.fake.click({ message: vote, customId: encodeAction({ command: 'poll', sub: 'vote', options: { choice: String(c.choice) } }), user: c.user }),
      );
      expect(click.ack.body.type).toBe(6); // deferUpdate: no public "thinking" message
      expect(click.replies).toHaveLength(1);
      expect(click.replies[0]!.content).toBe(`Your vote for ${c.choice} is in.`);
      expect(click.replies[0]!.flags & 64).toBe(64); // only the clicker sees it
    }
    // Nothing public was posted by the clicks, and the vote message still has its buttons.
    expect(h.fake.messagesIn(h.fake.channelId).filter((m) => !(m.flags & 64))).toHaveLength(before);
    expect(buttons(h.fake.messages.get(vote.id)!)).toHaveLength(2);

    clock.advance(POLL_WINDOW_MS - 1);
    await h.engine.idle();
    expect(h.fake.messagesIn(h.fake.channelId).filter((m) => !(m.flags & 64))).toHaveLength(before);
    clock.advance(1);
    await h.engine.idle();
    const announced = h.fake
      .messagesIn(h.fake.channelId)
      .filter((m) => !(m.flags & 64))
      .slice(before);
    expect(announced.map((m) => m.content)).toEqual(['The vote is closed: door 2 wins (Alice: 2, Bob: 1, Carol: 2).']);
    expect(announced[0]!.interaction_token).toBeUndefined(); // a channel message, not an interaction reply
    expect(buttons(announced[0]!)).toEqual([[{ id: encodeAction({ command: 'poll', sub: 'start' }), style: 1, label: 'Vote again' }]]);
    expect(announced[0]!.author.id).toBe(h.fake.bot.id);

    // A late click is refused privately.
    const late = await run(h, () =>
      h.fake.click({ message: vote, customId: encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }), user: carol }),
    );
    expect(late.replies.map((r) => [r.content, r.flags & 64])).toEqual([['⚠️ This vote is closed.', 64]]);
  });

  it('announces into a thread and into a DM', async () => {
    const threadId = snowflake();
    h.fake.channels.set(threadId, {
      id: threadId,
      type: 11,
      guild_id: h.fake.guildId,
      parent_id: h.fake.channelId,
      owner_id: h.fake.bot.id,
      name: 'a story',
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      total_message_sent: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    });
    await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'start', channelId: threadId }));
    const inDm = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'start', dm: true }));
    const dm = h.fake.dmWith(h.fake.alice.id)!;
    await run(h, () => h.fake.click({ message: inDm.replies[0]!, customId: encodeAction({ command: 'poll', sub: 'vote', options: { choice: '3' } }) }));
    clock.advance(POLL_WINDOW_MS);
    await h.engine.idle();
    expect(h.fake.messagesIn(threadId).at(-1)!.content).toBe('The vote is closed; nobody voted.');
    expect(h.fake.messagesIn(dm).at(-1)!.content).toBe('The vote is closed: door 3 wins (Alice: 3).');
  });

  it('at start-up, a window that ended while Muse was away is announced in its channel, once, by the process that serves Discord', async () => {
    await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'start' }));
    const shown = () =>
      h.fake
        .messagesIn(h.fake.channelId)
        .filter((m) => !(m.flags & 64))
        .map((m) => m.content);
    const before = shown().length;
    h.engine.close(); // the process stops: its timers are gone, the job stays stored
    clock.jump(POLL_WINDOW_MS);
    await h.engine.start(['slack']);
    expect(shown()).toHaveLength(before);
    await h.engine.start(['discord']);
    await h.discord.idle();
    expect(shown().slice(before)).toEqual(['The vote is closed; nobody voted.']);
    await h.engine.start(['discord']);
    await h.discord.idle();
    expect(shown()).toHaveLength(before + 1);
  });

  it('a reply that starts with replace updates the clicked message in place', async () => {
    const first = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'page', options: { n: '1' } }));
    const page = first.replies[0]!;
    expect(page.content).toBe('Page 1 of 3 (turned by Alice)');
    const flip = await run(h, () =>
      h.fake.click({ message: page, customId: encodeAction({ command: 'poll', sub: 'page', options: { n: '2' } }), user: h.fake.bob }),
    );
    expect(flip.replies).toHaveLength(0); // no new message
    const now = h.fake.messages.get(page.id)!;
    expect(now.content).toBe('Page 2 of 3 (turned by Bob)');
    expect(buttons(now)[0]!.map((b: any) => b.id)).toEqual([
      encodeAction({ command: 'poll', sub: 'page', options: { n: '1' } }),
      encodeAction({ command: 'poll', sub: 'page', options: { n: '3' } }),
    ]);
    expect(h.fake.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/${flip.token}/messages/@original`))).toBe(true);
  });

  it('a click whose reply is new text still posts it under the message, publicly', async () => {
    const { replies } = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'page', options: { n: '3' } }));
    h.backend.push({ parts: ['The sea ', 'goes on.'], delayMs: 5 });
    // A button whose command streams a model reply (a public message, not in place).
    const click = await run(h, () => h.fake.click({ message: replies[0]!, customId: encodeAction({ command: 'poem', options: { topic: 'the sea' } }) }));
    expect(click.replies.map((r) => [r.content, r.flags & 64])).toEqual([['The sea goes on.', 0]]);
    expect(h.fake.messages.get(replies[0]!.id)!.content).toBe('Page 3 of 3 (turned by Alice)');
  });

  it('a private note beside a public reply reaches the speaker alone, for a command and a click', async () => {
    const slash = await run(h, () => h.fake.slash({ name: 'poll', subcommand: 'mixed', user: h.fake.bob }));
    expect(slash.replies.map((r) => [r.content, r.flags & 64])).toEqual([
      ['Everyone sees this.', 0],
      ['Only you see this, Bob.', 64],
    ]);
    const click = await run(h, () => h.fake.click({ message: slash.replies[0]!, customId: encodeAction({ command: 'poll', sub: 'mixed' }) }));
    expect(click.replies.map((r) => [r.content, r.flags & 64])).toEqual([
      ['Everyone sees this.', 0],
      ['Only you see this, Alice.', 64],
    ]);
  });

  it('generates an attachment option and passes the downloaded file to the command', async () => {
    const { toDiscordCommands } = await import('../../src/adapters/discord/commands.js');
    const upload = toDiscordCommands(pollFeature.commands!)[0]!.options!.find((o) => o.name === 'upload') as any;
    expect(upload.options).toEqual([{ type: 11, name: 'file', description: 'A file', required: true }]);

    const card = JSON.stringify({ spec: 'chara_card_v2', data: { name: 'Ember' } });
    const { replies } = await run(h, () =>
      h.fake.slash({ name: 'poll', subcommand: 'upload', attachments: { file: { name: 'ember.json', contentType: 'application/json', content: card } } }),
    );
    expect(h.fake.downloads).toHaveLength(1);
    expect(replies.map((r) => r.content)).toEqual([`ember.json (application/json, ${card.length} bytes): ${card.slice(0, 40)}`]);
  });

  it('refuses a file over the size cap in one private sentence, without downloading it', async () => {
    const downloads = h.fake.downloads.length;
    const { replies } = await run(h, () =>
      h.fake.slash({ name: 'poll', subcommand: 'upload', attachments: { file: { name: 'huge.png', content: 'x'.repeat(2048) } } }),
    );
    expect(h.fake.downloads).toHaveLength(downloads);
    expect(replies.map((r) => [r.content, r.flags & 64])).toEqual([['⚠️ The file "huge.png" is 2 KB; Muse takes files up to 1 KB.', 64]]);
  });
});
