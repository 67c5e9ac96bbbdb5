import { describe, expect, it } from 'vitest';
import { escapeSlack, mentions, slackToPlain, stripBotMention } from '../../src/adapters/slack/escape.js';
import { splitMessage } from '../../src/text/split.js';
import { RecentKeys } from '../../src/adapters/slack/dedupe.js';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('escapeSlack', () => {
  it('shows every mention token as text', () => {
    expect(escapeSlack('<!channel> <!here> <!everyone> <@U123> <!subteam^S1|@devs> a & b > c')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;!subteam^S1|@devs&gt; a &amp; b &gt; c',
    );
  });
  it('escapes an ampersand before the brackets (no double decoding)', () => {
    expect(escapeSlack('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });
});

describe('slackToPlain / mentions', () => {
  it('turns Slack markup into plain text', () => {
    const names: Record<string, string> = { U1: 'Alice' };
    expect(slackToPlain('<@U1> and <@U2|bob> in <#C1|general>, <!here>: see <https://a.test|docs> &amp; &lt;3', (id) => names[id])).toBe(
      '@Alice and @bob in #general, @here: see docs (https://a.test) & <3',
    );
  });
  it('strips and detects the bot mention', () => {
    expect(stripBotMention('<@UMUSE> /poem rain', 'UMUSE')).toBe('/poem rain');
    expect(mentions('hi <@UMUSE|muse>', 'UMUSE')).toBe(true);
    expect(mentions('hi <@UOTHER>', 'UMUSE')).toBe(false);
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('a short poem', 100)).toEqual(['a short poem']);
  });

  it('splits at stanza breaks first, nothing lost', () => {
    const stanzas = Array.from({ length: 10 }, (_, i) => `Stanza ${i}\nline two of ${i}\nline three of ${i}`);
    const text = stanzas.join('\n\n');
    const parts = splitMessage(text, 120);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(120);
      expect(p.startsWith('Stanza')).toBe(true);
    }
    expect(parts.join('')).toBe(text);
  });

  it('falls back to lines, sentences, spaces, then a hard cut', () => {
    const prose = 'One sentence here. Another one follows! A third? '.repeat(20);
    const parts = splitMessage(prose, 60);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(60);
    expect(squash(parts.join(' '))).toBe(squash(prose));
    const run = 'x'.repeat(250);
    expect(splitMessage(run, 100)).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(50)]);
  });

  it('never cuts a surrogate pair', () => {
    const emoji = '🦊'.repeat(60);
    const parts = splitMessage(emoji, 51);
    expect(parts.join('')).toBe(emoji);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(51);
  });

  it('closes and reopens a code block cut in two', () => {
    const code = '```\n' + Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n```';
    const parts = splitMessage(code, 80);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(80);
      expect(p.split('```').length % 2).toBe(1);
    }
    const body = parts.map((p) => p.replace(/^```\n?|\n?```$/g, '')).join('\n');
    expect(body.split('\n').filter(Boolean)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i}`));
  });
});

describe('RecentKeys', () => {
  it('claims a key once and forgets the oldest beyond its capacity', () => {
    const keys = new RecentKeys(2);
    expect(keys.claim('a')).toBe(true);
    expect(keys.claim('a')).toBe(false);
    keys.claim('b');
    keys.claim('c');
    expect(keys.has('a')).toBe(false);
    expect(keys.has('c')).toBe(true);
  });
});
