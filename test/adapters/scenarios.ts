/**
 * The adapter contract: what people see, written once and run against Discord and Slack through
 * their real clients and loopback fakes (discord.test.ts, slack.test.ts). Where the platforms
 * genuinely differ, the scenario says how (Driver.differs) instead of skipping.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ModelError } from '../../src/model/types.js';
import { POLL_WINDOW_MS } from '../support/poll-command.js';
import type { Driver } from './driver.js';
import { LONG_TEXT, NOTES, WITHDRAWN } from './scene-feature.js';

const SENTENCE = 'The model server stopped answering. The reply was cut off and was not saved.';

export function adapterScenarios(start: () => Promise<Driver>): void {
  let d: Driver;
  beforeEach(async () => {
    d = await start();
  });
  afterEach(async () => {
    await d?.close();
  });

  it('a plain mention is answered once, and the streamed text ends complete', async () => {
    d.backend.push({ parts: ['Once upon ', 'a time, ', 'a fox ', 'looked up.'], delayMs: 25 });
    const ex = await d.mention('tell me about a fox');
    expect(ex.posted.map((m) => m.text)).toEqual(['Once upon a time, a fox looked up.']);
    expect(ex.private).toEqual([]);
    expect(d.backend.calls).toHaveLength(1);
    expect(d.backend.lastCall!.messages.at(-1)!.content).toBe('Alice: tell me about a fox');
  });

  it('a long reply is split at paragraph breaks into messages the platform takes, nothing lost', async () => {
    const long = `${LONG_TEXT}\n\n${LONG_TEXT}`;
    d.backend.push(long);
    const ex = await d.mention('a long one');
    expect(ex.posted.length).toBeGreaterThanOrEqual(Math.ceil(long.length / d.limit));
    for (const m of ex.posted) expect(m.text.length).toBeLessThanOrEqual(d.limit);
    for (const m of ex.posted.slice(0, -1)) expect(m.text.endsWith('\n\n')).toBe(true);
    expect(ex.posted.map((m) => m.text).join('')).toBe(long);
  });

  it('a refusal goes to the speaker alone', async () => {
    const ex = await d.command('scene', 'refuse', {}, 'bob');
    expect(ex.posted).toEqual([]);
    expect(ex.private).toEqual([{ to: 'bob', text: expect.stringContaining('Bob may not do that here.') }]);
  });

  it('a refusal to a mention is private where the platform has private replies to messages, else a public reply', async () => {
    const ex = await d.mention('/scene refuse', 'bob');
    if (d.differs.privateRepliesToMentions) {
      expect(ex.posted).toEqual([]);
      expect(ex.private).toEqual([{ to: 'bob', text: expect.stringContaining('Bob may not do that here.') }]);
    } else {
      expect(ex.private).toEqual([]);
      expect(ex.posted.map((m) => m.text)).toEqual([expect.stringContaining('Bob may not do that here.')]);
    }
  });

  it('an error after partial text keeps the text and adds the sentence after it', async () => {
    d.backend.push({ parts: ['The dragon ', 'rose ', new ModelError('interrupted', 'The model server stopped answering.')], delayMs: 20 });
    const ex = await d.mention('go on');
    expect(ex.private).toEqual([]);
    const texts = ex.posted.map((m) => m.text);
    // Where a platform posts the sentence as a message of its own, it comes last; else it ends the message.
    expect(texts).toHaveLength(d.differs.errorInOwnMessage ? 2 : 1);
    expect(texts[0]).toMatch(/^The dragon rose/);
    expect(texts.at(-1)!.endsWith(SENTENCE)).toBe(true);
    expect(texts.join('\n').indexOf('The dragon rose')).toBeLessThan(texts.join('\n').indexOf(SENTENCE));
    for (const m of ex.posted) expect(m.buttons).toEqual([]);
  });

  it('a streamed reply taken back (mature output flagged) is replaced by the sentence, in place: none of its text stays', async () => {
    const ex = await d.command('scene', 'withdrawn');
    const texts = [...ex.posted, ...ex.edited].map((m) => m.text);
    expect(texts.some((t) => t.includes(WITHDRAWN))).toBe(true);
    expect(texts.join('\n')).not.toContain('Blood on');
    expect(texts.join('\n')).not.toContain('writing');
    expect(ex.private).toEqual([]);
  });

  it('a taken-back reply that had spilled over several messages leaves none of them with its text, and says why once', async () => {
    const ex = await d.command('scene', 'withdrawn-long');
    const texts = [...ex.posted, ...ex.edited].map((m) => m.text);
    expect(texts.filter((t) => t.includes(WITHDRAWN))).toHaveLength(1);
    for (const text of texts) expect(text).not.toMatch(/Part \d+|lantern|writing/);
    expect(ex.private).toEqual([]);

    // The same after a click, whose reply goes into new messages under the clicked one.
    const menu = (await d.command('scene', 'menu')).posted.at(-1)!;
    const click = await d.click(menu, (c) => c.sub === 'withdrawn-long');
    const clicked = [...click.posted, ...click.edited].map((m) => m.text);
    expect(clicked.filter((t) => t.includes(WITHDRAWN))).toHaveLength(1);
    for (const text of clicked) expect(text).not.toMatch(/Part \d+|lantern|writing/);
  });

  it('buttons sit under the last message only, and a click runs as the clicker and takes them', async () => {
    const ex = await d.command('scene', 'long');
    expect(ex.posted.length).toBeGreaterThanOrEqual(2);
    expect(ex.posted.map((m) => m.text).join('')).toBe(LONG_TEXT);
    for (const m of ex.posted.slice(0, -1)) expect(m.buttons).toEqual([]);
    const last = ex.posted.at(-1)!;
    expect(last.buttons).toEqual([{ name: 'scene', sub: 'who' }]);

    const click = await d.click(last, (c) => c.sub === 'who', 'bob');
    expect(click.posted.map((m) => [m.text, m.buttons])).toEqual([['Bob clicked.', []]]);
    expect(click.private).toEqual([]);
    // The clicked message keeps its text; its buttons are used up.
    expect(d.current(last)).toEqual({ ...last, buttons: [] });
  });

  it('a private answer to a click goes to the clicker alone, and the buttons stay for the others', async () => {
    const vote = (await d.command('poll', 'start')).posted[0]!;
    expect(vote.buttons).toHaveLength(4);
    const ex = await d.click(vote, (c) => c.sub === 'vote' && c.options?.choice === '2', 'bob');
    expect(ex.posted).toEqual([]);
    expect(ex.edited).toEqual([]);
    expect(ex.private).toEqual([{ to: 'bob', text: 'Your vote for 2 is in.' }]);
    expect(d.current(vote)).toEqual(vote);
  });

  it("a 'replace' reply is shown in the clicked message, with its new buttons", async () => {
    const page = (await d.command('poll', 'page', { n: '1' })).posted[0]!;
    expect(page.text).toBe('Page 1 of 3 (turned by Alice)');
    const ex = await d.click(page, (c) => c.sub === 'page' && c.options?.n === '2', 'bob');
    expect(ex.posted).toEqual([]);
    expect(ex.private).toEqual([]);
    expect(ex.edited).toEqual([
      {
        id: page.id,
        text: 'Page 2 of 3 (turned by Bob)',
        buttons: [
          { name: 'poll', sub: 'page', options: { n: '1' } },
          { name: 'poll', sub: 'page', options: { n: '3' } },
        ],
      },
    ]);
  });

  it('a file is attached to the reply', async () => {
    const ex = await d.command('scene', 'file');
    expect(ex.posted.map((m) => m.text)).toEqual(['Here are the notes.']);
    expect(ex.files).toEqual([{ name: NOTES.name, content: NOTES.content }]);
  });

  it('model output with @everyone, <!channel> or a user mention pings no one, and reads as written', async () => {
    const loud = '@everyone @here <!channel> <!here> <!everyone> <@U0BOB> <@123456789012345678> <@&987654321098765432> wake up & <listen>!';
    d.backend.push(loud);
    const ex = await d.mention('shout');
    expect(ex.posted.map((m) => m.text)).toEqual([loud]);
    expect(ex.pings).toEqual([]);
  });

  it('an announcement (a vote closing) reaches the conversation through the outbox', async () => {
    await d.command('poll', 'start');
    expect((await d.advance(POLL_WINDOW_MS - 1)).posted).toEqual([]);
    const ex = await d.advance(1);
    expect(ex.posted.map((m) => [m.text, m.buttons])).toEqual([['The vote is closed; nobody voted.', [{ name: 'poll', sub: 'start' }]]]);
    expect(ex.private).toEqual([]);
  });
}
