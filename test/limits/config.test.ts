import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { describeDuration, describeWait, parseLimitRule } from '../../src/limits/rule.js';

describe('fair-use configuration', () => {
  it('defaults: user 20/10m and workspace 300/10m, not explicit; no budget; PII redaction off', () => {
    const config = loadConfig({});
    expect(config.MUSE_LIMIT_USER).toEqual({ rule: { points: 20, durationMs: 600_000 }, explicit: false });
    expect(config.MUSE_LIMIT_WORKSPACE).toEqual({ rule: { points: 300, durationMs: 600_000 }, explicit: false });
    expect(config.MUSE_BUDGET_TOKENS_DAY).toBeUndefined();
    expect(config.MUSE_REDACT_PII).toBe('off');
    expect(config.MUSE_MODERATION).toBeUndefined();
    expect(config.MUSE_MODERATION_FAIL).toBeUndefined();
  });

  it('remembers a limit set explicitly, even to the default, and off', () => {
    const config = loadConfig({ MUSE_LIMIT_USER: '20/10m', MUSE_LIMIT_WORKSPACE: 'OFF', MUSE_BUDGET_TOKENS_DAY: '200000', MUSE_REDACT_PII: 'on' });
    expect(config.MUSE_LIMIT_USER).toEqual({ rule: { points: 20, durationMs: 600_000 }, explicit: true });
    expect(config.MUSE_LIMIT_WORKSPACE).toEqual({ rule: undefined, explicit: true });
    expect(config.MUSE_BUDGET_TOKENS_DAY).toBe(200_000);
    expect(config.MUSE_REDACT_PII).toBe('on');
    expect(loadConfig({ MUSE_BUDGET_TOKENS_DAY: 'off' }).MUSE_BUDGET_TOKENS_DAY).toBeUndefined();
  });

  it('lists every bad value in one message, naming the variable and the format, never the value', () => {
    let message = '';
    try {
      loadConfig({ MUSE_LIMIT_USER: '20 per minute', MUSE_LIMIT_WORKSPACE: '0/1h', MUSE_BUDGET_TOKENS_DAY: '1e6', MUSE_REDACT_PII: 'yes' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      [
        "Muse's configuration has 4 problems:",
        '- MUSE_REDACT_PII: must be on or off',
        '- MUSE_LIMIT_USER: must be N/DURATION with DURATION in s, m, h or d (e.g. 20/10m), or off',
        '- MUSE_LIMIT_WORKSPACE: must be N/DURATION with DURATION in s, m, h or d (e.g. 20/10m), or off',
        '- MUSE_BUDGET_TOKENS_DAY: must be a positive whole number of tokens, or off',
      ].join('\n'),
    );
  });
});

describe('limit rules', () => {
  it.each([
    ['20/10m', { points: 20, durationMs: 600_000 }],
    ['5/h', { points: 5, durationMs: 3_600_000 }],
    [' 300 / 1d ', { points: 300, durationMs: 86_400_000 }],
    ['1/30s', { points: 1, durationMs: 30_000 }],
    ['off', 'off'],
  ])('reads %j', (text, rule) => {
    expect(parseLimitRule(text)).toEqual(rule);
  });

  it.each(['', '20', '20/', '/10m', '20/10', '20/10w', '0/10m', '20/0m', '-1/10m', '1.5/10m', '20/400d'])('refuses %j', (text) => {
    expect(parseLimitRule(text)).toBeUndefined();
  });

  it('describes windows and waits in plain words', () => {
    expect([600_000, 3_600_000, 86_400_000, 30_000, 1000, 7_200_000, 90_000].map(describeDuration)).toEqual([
      '10 minutes',
      'an hour',
      'a day',
      '30 seconds',
      'a second',
      '2 hours',
      '90 seconds',
    ]);
    expect([0, 1, 30_500, 59_000, 59_001, 60_000, 200_000, 3_600_000, 5_400_000, 3 * 86_400_000].map(describeWait)).toEqual([
      '1 second',
      '1 second',
      '31 seconds',
      '59 seconds',
      '1 minute',
      '1 minute',
      '4 minutes',
      '1 hour',
      '2 hours',
      '3 days',
    ]);
  });
});
