import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CHANNEL, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("Slack: Muse's own sentences in the user's locale (users.info include_locale)", () => {
  it('answers a zh-CN user in Chinese and an en-US user in English', async () => {
    h = await startHarness();
    h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
    h.slack.users.set(BOB, { name: 'Bob', locale: 'en-US' });
    await h.sender.command('/muse-help', '', { user: ALICE, channel: CHANNEL });
    await h.sender.command('/story', 'fly away', { user: ALICE, channel: CHANNEL });
    await h.sender.command('/story', 'fly away', { user: BOB, channel: CHANNEL });
    await h.bolt.idle();
    const help = h.slack.museMessages(CHANNEL)[0]!.text;
    expect(help.startsWith('Muse 和整个频道一起讲故事、写诗、当老师。命令：')).toBe(true);
    // The two users' turns run side by side: which answer comes first is not the point.
    const eph = h.slack
      .callsOf('chat.postEphemeral')
      .map((c) => ({ user: String(c.args.user), text: String(c.args.text) }))
      .sort((a, b) => a.user.localeCompare(b.user));
    expect(eph).toEqual([
      { user: ALICE, text: expect.stringContaining('/story 没有子命令“fly”；可以试试：') },
      { user: BOB, text: expect.stringContaining('/story has no subcommand "fly"; try one of:') },
    ]);
    expect(h.slack.callsOf('users.info').every((c) => String(c.args.include_locale) === 'true')).toBe(true);
  });

  it('/language en overrides the Slack locale for that user; /language auto returns to it', async () => {
    h = await startHarness();
    h.slack.users.set(ALICE, { name: 'Alice', locale: 'zh-CN' });
    const ephemerals = () => h.slack.callsOf('chat.postEphemeral').map((c) => String(c.args.text));
    await h.sender.command('/language', 'en', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(ephemerals().at(-1)).toContain('From now on Muse writes its own messages to you in English.');
    await h.sender.command('/story', 'fly away', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(ephemerals().at(-1)).toContain('/story has no subcommand "fly"');
    await h.sender.command('/language', 'auto', { user: ALICE, channel: CHANNEL });
    await h.sender.command('/story', 'fly away', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(ephemerals().slice(-2)).toEqual([
      expect.stringContaining('Muse 又跟随你所在平台的语言了：简体中文。'),
      expect.stringContaining('/story 没有子命令“fly”'),
    ]);
  });

  it('a users.info that fails means English', async () => {
    h = await startHarness();
    h.slack.users.delete(ALICE);
    await h.sender.command('/story', 'fly away', { user: ALICE, channel: CHANNEL });
    await h.bolt.idle();
    expect(String(h.slack.callsOf('chat.postEphemeral').at(-1)!.args.text)).toContain('/story has no subcommand "fly"');
  });
});
