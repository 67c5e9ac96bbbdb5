import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { deadlineError } from '../../src/model/openai-errors.js';
import { retryAfterMs } from '../../src/model/openai-retry.js';
import { mapFinish, readChunk } from '../../src/model/openai-stream.js';

/** The openai backend's pure mappings; the wire paths are in openai.test.ts. */

const chunk = (extra: Partial<ChatCompletionChunk>): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'm',
  choices: [],
  ...extra,
});

describe('openai mappings', () => {
  it('reads a chunk: text, finish and usage, whichever it has', () => {
    expect(readChunk(chunk({ choices: [{ index: 0, delta: { content: 'Once' }, finish_reason: null }] }))).toEqual({ text: 'Once' });
    expect(readChunk(chunk({ choices: [{ index: 0, delta: { content: null }, finish_reason: null }] }))).toEqual({});
    expect(readChunk(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }))).toEqual({ finish: 'length' });
    expect(readChunk(chunk({ usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } }))).toEqual({ usage: { inputTokens: 3, outputTokens: 5 } });
  });

  it("maps the finish reasons compatible servers use, anything else to 'other'", () => {
    expect(['stop', 'eos', 'end_turn', 'stop_sequence'].map(mapFinish)).toEqual(['stop', 'stop', 'stop', 'stop']);
    expect(['length', 'max_tokens'].map(mapFinish)).toEqual(['length', 'length']);
    expect(['content_filter', 'tool_calls'].map(mapFinish)).toEqual(['other', 'other']);
  });

  it('reads retry-after-ms, retry-after in seconds, and retry-after as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 7000).toUTCString() }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('an ended deadline is a cancel or a retryable timeout; a running one is no error', () => {
    expect(deadlineError('aborted')).toMatchObject({ kind: 'aborted', retryable: false });
    expect(deadlineError('timeout')).toMatchObject({ kind: 'timeout', retryable: true });
    expect(deadlineError(undefined)).toBeUndefined();
  });
});
