import { afterEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../src/model/fake.js';
import { blocksError } from '../support/slack-blocks.js';
import { CHANNEL, post, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const REPLY = [
  '## The Harbour Map',
  "The **Silver Gull** sails at dawn; see [the captain's log](https://example.test/log?day=1&tide=high). Tell <!channel>, <!here>, <@U123>, @everyone and <!subteam^S1>.",
  '- rope\n- lantern\n- a map <@U777>',
  '| Ship | Crew |\n|---|--:|\n| Silver Gull | 12 |\n| Wren <!here> | 3 |',
  'The tide turns.',
  '```\nif (tide < high && wind > 3) sail();\n```',
].join('\n\n');

describe('Slack: the model’s Markdown reaches Slack in a form Slack renders', () => {
  it('a reply with bold, a link, a heading, a list, a table and a code fence: markdown and table blocks, a mrkdwn fallback, and no pings', async () => {
    // Small chunks: the reply is posted, then edited (chat.update) as it streams (not Slack's native streaming).
    h = await startHarness({ backend: new FakeBackend({ chunkSize: 23 }).push(REPLY), nativeStreaming: false });
    const ev = post(h.slack, { type: 'app_mention', text: '<@UMUSE> the map, please' });
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies).toHaveLength(2);
    const [first, second] = replies;

    // The first message: the Markdown up to the table in a markdown block, then the table block.
    expect(first!.blocks!.map((b) => b.type)).toEqual(['markdown', 'table']);
    const markdown = String(first!.blocks![0]!.text);
    expect(markdown).toContain('## The Harbour Map');
    expect(markdown).toContain('The **Silver Gull** sails');
    expect(markdown).toContain("[the captain's log](https://example.test/log?day=1&amp;tide=high)");
    expect(markdown).toContain('- rope\n- lantern');
    expect(markdown).toContain('Tell &lt;!channel&gt;, &lt;!here&gt;, &lt;@U123&gt;, @everyone and &lt;!subteam^S1&gt;.');
    expect(first!.blocks![1]!.rows).toEqual([
      [
        { type: 'raw_text', text: 'Ship' },
        { type: 'raw_text', text: 'Crew' },
      ],
      [
        { type: 'raw_text', text: 'Silver Gull' },
        { type: 'raw_text', text: '12' },
      ],
      [
        { type: 'raw_text', text: 'Wren &lt;!here&gt;' },
        { type: 'raw_text', text: '3' },
      ],
    ]);
    // Its notification text is mrkdwn, converted: no Markdown shown as typed.
    expect(first!.text).toContain('*The Harbour Map*');
    expect(first!.text).toMatch(/\*Silver Gull\*/);
    expect(first!.text).toContain("<https://example.test/log?day=1&amp;tide=high|the captain's log>");
    expect(first!.text).not.toMatch(/\*\*|##|\]\(/);
    expect(first!.text).toMatch(/```\nShip +\| Crew\n/);

    // The second message: the text after the table, the code fence kept.
    expect(second!.blocks!.map((b) => b.type)).toEqual(['markdown']);
    expect(String(second!.blocks![0]!.text)).toBe('The tide turns.\n\n```\nif (tide &lt; high &amp;&amp; wind &gt; 3) sail();\n```');
    expect(second!.text).toBe('The tide turns.\n\n```\nif (tide &lt; high &amp;&amp; wind &gt; 3) sail();\n```');

    // Every post and edit was one Slack takes, with markdown blocks; nobody was pinged on the way.
    const writes = [...h.slack.callsOf('chat.postMessage'), ...h.slack.callsOf('chat.update')];
    expect(h.slack.callsOf('chat.update').length).toBeGreaterThan(0);
    for (const c of writes) {
      expect(blocksError(c.args.blocks)).toBeUndefined();
      expect((c.args.blocks as Array<{ type: string }>).some((b) => b.type === 'markdown')).toBe(true);
    }
    expect(h.slack.pings).toEqual([]);
  });

  it('a long reply streams by appending: a message, once the next one is posted, is never edited or removed', async () => {
    const para = (n: number) => `Paragraph ${n}: the **tide** turns at [the pier](https://example.test/p${n}) & the <lights> come on. `.repeat(3).trim();
    const reply = [para(1), para(2), '| a | b |\n|---|---|\n| 1 | 2 |', para(3), '```\n' + 'x < y\n'.repeat(40) + '```', para(4), para(5)].join('\n\n');
    h = await startHarness({ backend: new FakeBackend({ chunkSize: 11 }).push(reply), chunkLimit: 400, nativeStreaming: false });
    const ev = post(h.slack, { type: 'app_mention', text: '<@UMUSE> go on' });
    await h.event(ev);
    const replies = h.slack.museMessages(CHANNEL, ev.ts);
    expect(replies.length).toBeGreaterThanOrEqual(4);
    expect(h.slack.callsOf('chat.delete')).toEqual([]);
    // The calls in order: after message n+1 is posted, no edit of message n (or earlier) follows.
    const order = replies.map((m) => m.ts);
    let newest = -1;
    for (const c of h.slack.calls) {
      if (c.method === 'chat.postMessage') newest++;
      if (c.method === 'chat.update') expect(order.indexOf(String(c.args.ts))).toBe(newest);
    }
    for (const m of replies) expect(blocksError(m.blocks)).toBeUndefined();
    expect(h.slack.pings).toEqual([]);
  });

  it('the same reply streamed natively in the mention’s thread: escaped markdown_text, an end Slack takes, and no pings', async () => {
    h = await startHarness({ backend: new FakeBackend({ chunkSize: 23 }).push(REPLY) });
    const ev = post(h.slack, { type: 'app_mention', text: '<@UMUSE> the map, please' });
    await h.event(ev);
    const [reply, ...more] = h.slack.museMessages(CHANNEL, ev.ts);
    expect(more).toEqual([]);
    expect(reply!.streaming).toBe(false);
    expect(reply!.text).toContain('Tell &lt;!channel&gt;, &lt;!here&gt;, &lt;@U123&gt;, @everyone and &lt;!subteam^S1&gt;.');
    expect(reply!.text).toContain('| Wren &lt;!here&gt; | 3 |');
    const stop = h.slack.callsOf('chat.stopStream');
    expect(stop).toHaveLength(1);
    expect(blocksError(stop[0]!.args.blocks)).toBeUndefined();
    expect(reply!.blocks!.map((b) => b.type)).toEqual(['context_actions']);
    expect(h.slack.pings).toEqual([]);
  });

  it('a private sentence is mrkdwn and pings no one', async () => {
    h = await startHarness();
    // A slash command's refusal is ephemeral, and quotes what was typed: `<!channel>` typed in
    // Slack arrives escaped (`&lt;!channel&gt;`), so the sentence holds a real `<!channel>`.
    await h.sender.command('/poem', 'the sea form:&lt;!channel&gt;**sonnet**', { user: 'UALICE', channel: CHANNEL });
    await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length > 0);
    const eph = h.slack.callsOf('chat.postEphemeral').map((c) => String(c.args.text));
    expect(eph).toEqual(['The form "&lt;!channel&gt;\u200b*sonnet*\u200b" is not one of: free, haiku, tanka, limerick, sonnet, jueju5, jueju7.']);
    expect(h.slack.pings).toEqual([]);
  });
});
