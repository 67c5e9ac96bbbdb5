import { describe, expect, it } from 'vitest';
import { escapeModelText, MARKDOWN_LIMIT, toMarkdownBlocks, toMarkdownText, toMrkdwn } from '../../src/adapters/slack/markdown.js';
import { blocksError, mentionsIn } from '../support/slack-blocks.js';

const PINGS = ['<!channel>', '<!here>', '<@U123>', '@everyone', '<!subteam^S1>', '<!subteam^S1|@team>', '<!everyone>', '&lt;@U9&gt;'];

/** The same mention in every place Markdown can hold one. */
function hostile(mention: string): string {
  return [
    `# Heading ${mention}`,
    `Plain ${mention} and **bold ${mention}** and _em ${mention}_ and \`code ${mention}\`.`,
    `A [link ${mention}](https://x.test/?a=1&b=2) and <https://y.test>.`,
    `- item ${mention}`,
    `> quote ${mention}`,
    `| who | what |\n|---|---|\n| ${mention} | cell |`,
    '```\n' + `fenced ${mention}\n` + '```',
  ].join('\n\n');
}

describe('Slack Markdown: no pings in any form', () => {
  for (const mention of PINGS) {
    it(`${mention} pings no one in markdown blocks, table cells, markdown_text and mrkdwn`, () => {
      const text = hostile(mention);
      const blocks = toMarkdownBlocks(text);
      expect(mentionsIn(blocks)).toEqual([]);
      expect(mentionsIn(toMarkdownText(text))).toEqual([]);
      expect(mentionsIn(toMrkdwn(text))).toEqual([]);
      // ... and it still reads as written (Slack shows &lt; as <).
      const shown = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(shown(JSON.stringify(blocks))).toContain(mention.replace(/"/g, '\\"'));
      expect(shown(toMrkdwn(text))).toContain(mention);
    });
  }

  it('escapes &, < and > (quote markers at a line start stay Markdown)', () => {
    expect(escapeModelText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(escapeModelText('> quoted <x>\n  > > nested > on')).toBe('> quoted &lt;x&gt;\n  > > nested &gt; on');
    // A stream's deltas escape one by one to the same text as the whole.
    const whole = 'Hi <@U1> & <!here>, a > b';
    expect(['Hi <@', 'U1> & <!', 'here>, a > b'].map(toMarkdownText).join('')).toBe(toMarkdownText(whole));
  });
});

describe('Slack Markdown: mrkdwn where only mrkdwn is accepted', () => {
  it('converts bold, headings, links, lists and tables (as a code block) and keeps code fences', () => {
    const out = toMrkdwn(
      "## The Harbour Map\n\nThe **Silver Gull** sails. See [the captain's log](https://x.test/log?a=1&b=2).\n\n- one\n- two\n\n| Ship | Crew |\n|---|--:|\n| Gull | 12 |\n| Wren | 3 |\n\n```\nif (a < b) {}\n```",
    );
    expect(out).toContain('*The Harbour Map*');
    expect(out).not.toContain('##');
    expect(out).toMatch(/\*Silver Gull\*/);
    expect(out).not.toContain('**');
    expect(out).toContain("<https://x.test/log?a=1&amp;b=2|the captain's log>");
    expect(out).toMatch(/^•\s+one$/m);
    expect(out).toContain('```\nShip | Crew\n-----+-----\nGull |   12\nWren |    3\n```');
    expect(out).toContain('```\nif (a &lt; b) {}\n```');
  });
});

describe('Slack Markdown: markdown and table blocks', () => {
  it('puts a table in a table block that ends its message; the text after it starts the next', () => {
    const messages = toMarkdownBlocks('Before **it**.\n\n| A | B |\n|:-:|---|\n| 1 | `x` |\n| [t](https://t.test) | |\n\nAfter it.');
    expect(messages).toEqual([
      [
        { type: 'markdown', text: 'Before **it**.\n\n' },
        {
          type: 'table',
          rows: [
            [
              { type: 'raw_text', text: 'A' },
              { type: 'raw_text', text: 'B' },
            ],
            [
              { type: 'raw_text', text: '1' },
              { type: 'raw_text', text: 'x' },
            ],
            [
              { type: 'raw_text', text: 't (https://t.test)' },
              { type: 'raw_text', text: ' ' },
            ],
          ],
          column_settings: [{ align: 'center' }, { align: 'left' }],
        },
      ],
      [{ type: 'markdown', text: 'After it.' }],
    ]);
    for (const blocks of messages) expect(blocksError(blocks)).toBeUndefined();
  });

  it('shows a table too big for a table block (over 100 rows) as a code block', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `| ${i} | row ${i} |`).join('\n');
    const [blocks] = toMarkdownBlocks(`| n | what |\n|---|---|\n${rows}`);
    expect(blocks!.map((b) => b.type)).toEqual(['markdown']);
    expect((blocks![0] as { text: string }).text).toMatch(/^```\nn {3}\| what\n/);
  });

  it('keeps each message within 12,000 characters of markdown, never cutting a code fence or a link', () => {
    const para = 'The lantern drifted past the sleeping mills & the <river>. '.repeat(30);
    const fence = '```ts\n' + 'const a = b < c && d > e;\n'.repeat(60) + '```';
    const link = 'see [the captain’s log of the long voyage](https://x.test/log?a=1&b=2)';
    const text = Array.from({ length: 12 }, () => `${para}\n\n${fence}\n\n${para} ${link} ${para}`).join('\n\n');
    const messages = toMarkdownBlocks(text);
    expect(messages.length).toBeGreaterThan(3);
    let joined = '';
    for (const blocks of messages) {
      expect(blocksError(blocks)).toBeUndefined();
      const shown = blocks.map((b) => (b as { text: string }).text).join('');
      expect(shown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
      expect((shown.match(/^```/gm) ?? []).length % 2).toBe(0); // every fence opened is closed
      expect((shown.match(/\[the captain’s log of the long voyage\]\(/g) ?? []).length).toBe(
        (shown.match(/voyage\]\(https:\/\/x\.test\/log\?a=1&amp;b=2\)/g) ?? []).length,
      );
      joined += shown;
    }
    expect(joined).toBe(escapeModelText(text));
  });

  it('measures the reading limit in characters as read: Slack’s escapes (&lt; for <) do not split a message', () => {
    const lines = Array.from({ length: 8 }, (_, i) => `/cmd${i} <name> [x]: does thing ${i}`);
    const text = lines.join('\n');
    const limit = text.length + 2; // fits as read, but not once every < and > is escaped
    expect(escapeModelText(text).length).toBeGreaterThan(limit);
    const messages = toMarkdownBlocks(text, limit);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.map((b) => (b as { text: string }).text).join('')).toBe(escapeModelText(text));
    expect(toMarkdownBlocks(text, Math.floor(text.length / 2)).length).toBeGreaterThan(1);
  });

  it('never cuts inside a link, even where a space inside it is the best cut', () => {
    const link = '[a link whose words could each be a cut](https://x.test/page)';
    const text = 'word '.repeat(3) + link + ' tail';
    const messages = toMarkdownBlocks(text, 70);
    const texts = messages.map((blocks) => (blocks[0] as { text: string }).text);
    expect(texts.join('')).toBe(text);
    expect(texts.some((t) => t.includes(link))).toBe(true);
  });
});
