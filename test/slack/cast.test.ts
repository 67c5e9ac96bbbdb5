import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, CHANNEL, post, startHarness, type Harness } from './harness.js';
import type { FakeMessage } from '../support/fake-slack.js';

/** A story's cast on Slack: lines under the character's name and picture (chat:write.customize), or one message with bold names. */
const SCENE = 'The inn is quiet tonight.\nMira: "Welcome <@U123> & <!here>."\nThe fire cracks.\nOld Tom: “Aye, sit.”\n\n1. Sit down\n2. Leave';

/**
 * What a message shows, as Markdown: a streamed message's text (the markdown_text appended), else
 * its markdown blocks (its `text` is only the mrkdwn fallback).
 */
function markdownOf(m: FakeMessage): string {
  if (m.streaming !== undefined) return m.text;
  return (m.blocks ?? [])
    .filter((b) => b.type === 'markdown')
    .map((b) => String(b.text))
    .join('');
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function command(text: string) {
  await h.sender.command('/story', text, { user: ALICE, channel: CHANNEL });
  await h.bolt.idle();
}

async function storyWithCast() {
  h = await startHarness();
  h.backend.push('The inn waits.');
  await command('new the last inn');
  await command('cast add Mira avatar:https://cdn.example.com/mira.png');
  await command('cast add Old Tom');
}

describe('Slack: a story cast speaking as themselves', () => {
  it('posts each cast line with username and icon_url, escaped, between Muse’s narration', async () => {
    await storyWithCast();
    const before = h.slack.museMessages(CHANNEL).length;
    h.backend.push(SCENE);
    await command('continue');
    const shown = h.slack.museMessages(CHANNEL).slice(before);
    expect(shown.map((m) => [m.username ?? 'Muse', m.icon_url, markdownOf(m)])).toEqual([
      ['Muse', undefined, 'The inn is quiet tonight.'],
      ['Mira', 'https://cdn.example.com/mira.png', '"Welcome &lt;@U123&gt; &amp; &lt;!here&gt;."'],
      ['Muse', undefined, 'The fire cracks.'],
      ['Old Tom', undefined, '“Aye, sit.”'],
      ['Muse', undefined, '1. Sit down\n2. Leave'],
    ]);
    expect((shown.at(-1)!.blocks ?? []).some((b) => b.type === 'actions')).toBe(true);
    const customized = h.slack.callsOf('chat.postMessage').filter((c) => c.args.username);
    expect(customized.every((c) => c.args.link_names === false || c.args.link_names === 'false')).toBe(true);
  });

  it('without chat:write.customize (missing_scope) the scene is one message with bold names', async () => {
    await storyWithCast();
    h.slack.customize = false;
    const before = h.slack.museMessages(CHANNEL).length;
    h.backend.push(SCENE);
    await command('continue');
    const shown = h.slack.museMessages(CHANNEL).slice(before);
    expect(shown.map(markdownOf)).toEqual([
      'The inn is quiet tonight.',
      '**Mira:** "Welcome &lt;@U123&gt; &amp; &lt;!here&gt;."\n\nThe fire cracks.\n\n**Old Tom:** “Aye, sit.”\n\n1. Sit down\n2. Leave',
    ]);
    // The notification fallback (mrkdwn) shows the names in bold too, never in italics.
    const fallback = shown[1]!.text;
    expect(fallback).toMatch(/(^|[^*])\*Mira:\*([^*]|$)/);
    expect(fallback).toMatch(/(^|[^*])\*Old Tom:\*([^*]|$)/);
    expect(fallback).not.toMatch(/_(Mira|Old Tom):_/);
    expect(fallback).toContain('Welcome &lt;@U123&gt; &amp; &lt;!here&gt;.');
    expect(shown.every((m) => m.username === undefined)).toBe(true);
  });

  it('in a thread (native streaming) the stream ends with the lead; the lines follow as the characters, never streamed', async () => {
    h = await startHarness();
    h.backend.push('The inn waits.');
    const mention = (text: string, thread_ts?: string) => post(h.slack, { type: 'app_mention', text: `<@UMUSE> ${text}`, ...(thread_ts ? { thread_ts } : {}) });
    const first = mention('/story new the last inn');
    await h.event(first);
    await h.event(mention('/story cast add Mira avatar:https://cdn.example.com/mira.png', first.ts));
    await h.event(mention('/story cast add Old Tom', first.ts));
    const before = h.slack.museMessages(CHANNEL, first.ts).length;
    const started = h.slack.callsOf('chat.startStream').length;
    h.backend.push(SCENE);
    await h.event(mention('/story continue', first.ts));
    const shown = h.slack.museMessages(CHANNEL, first.ts).slice(before);
    expect(shown.map((m) => [m.username ?? 'Muse', m.icon_url, markdownOf(m)])).toEqual([
      ['Muse', undefined, 'The inn is quiet tonight.'],
      ['Mira', 'https://cdn.example.com/mira.png', '"Welcome &lt;@U123&gt; &amp; &lt;!here&gt;."'],
      ['Muse', undefined, 'The fire cracks.'],
      ['Old Tom', undefined, '“Aye, sit.”'],
      ['Muse', undefined, '1. Sit down\n2. Leave'],
    ]);
    const streamCalls = [...h.slack.callsOf('chat.startStream').slice(started), ...h.slack.callsOf('chat.appendStream')];
    expect(streamCalls.length).toBeGreaterThanOrEqual(1);
    expect(streamCalls.every((c) => !String(c.args.markdown_text).includes('Mira'))).toBe(true);
    expect((shown.at(-1)!.blocks ?? []).some((b) => b.type === 'actions')).toBe(true);
  });
});
