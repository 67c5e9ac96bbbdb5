import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { escapeSlack, slackToPlain } from '../../src/adapters/slack/escape.js';

/** Everything Slack reads as a control sequence that pings or links, and pieces of them. */
const CONTROL = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U024BE7LH>',
  '<@U024BE7LH|bob>',
  '<!subteam^S0614TZR7>',
  '<!subteam^S0614TZR7|@team>',
  '<#C024BE7LR>',
  '<https://example.com|click>',
  '<!date^1392734382^{date}|Feb 18>',
  '<',
  '>',
  '<!',
  '<@',
  '&',
  '&lt;',
  '&gt;',
  '&amp;',
  '&amp;lt;',
  '&#60;',
  '@here',
  '@channel',
];
const around = fc.string({
  unit: fc.oneof(fc.constantFrom('<', '>', '&', '!', '@', '^', '|', ';', ' ', '\n'), fc.string({ minLength: 1, maxLength: 1 })),
  maxLength: 6,
});
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...CONTROL), around, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 20 })
  .map((parts) => parts.join(''));

/** How Slack shows escaped text: the three entities decoded once, left to right. */
const shown = (escaped: string) => escaped.replace(/&(amp|lt|gt);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>' })[e]!);

describe('fuzz: Slack escaping', () => {
  test.prop([hostile], { numRuns: 1000, interruptAfterTimeLimit: 10_000 })('nothing that pings survives, and the visible text is the text', (text) => {
    const escaped = escapeSlack(text);
    // Slack's control sequences (<!here>, <@U…>, <!subteam^…>, links) all start with <.
    expect(escaped).not.toMatch(/[<>]/);
    // Every & starts an entity Slack decodes, so what it shows is exactly what the model wrote.
    expect(escaped.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
    expect(shown(escaped)).toBe(text);
    expect(slackToPlain(escaped)).toBe(text);
  });
});
