import { afterEach, describe, expect, it } from 'vitest';
import { actionBlocks } from '../../src/adapters/slack/blocks.js';
import { feedbackBlock } from '../../src/adapters/slack/feedback-blocks.js';
import { FakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function call(method: string, args: Record<string, unknown>): Promise<{ ok: boolean; error?: string; ts?: string }> {
  slack ??= await new FakeSlack().start();
  const res = await fetch(`${slack.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
    body: JSON.stringify(args),
  });
  return (await res.json()) as { ok: boolean; error?: string; ts?: string };
}

const postMessage = (blocks: unknown[]) => call('chat.postMessage', { channel: 'C1', text: 'fallback', blocks });

/** Starts a stream in a DM thread and stops it with `blocks`. */
async function streamEndingWith(blocks: unknown[]): Promise<{ ok: boolean; error?: string }> {
  const started = await call('chat.startStream', { channel: 'D1', thread_ts: '1.000001', markdown_text: 'Once upon a time' });
  expect(started).toMatchObject({ ok: true });
  return call('chat.stopStream', { channel: 'D1', ts: started.ts, blocks });
}

const markdown = (n: number) => ({ type: 'markdown', text: 'x'.repeat(n) });
const table = { type: 'table', rows: [[{ type: 'raw_text', text: 'a' }]] };

describe('the fake Slack takes blocks as Slack does', () => {
  it('takes markdown blocks up to 12,000 characters in all, and refuses more', async () => {
    expect(await postMessage([markdown(6000), markdown(6000)])).toMatchObject({ ok: true });
    expect(await postMessage([markdown(6000), markdown(6001)])).toEqual({ ok: false, error: 'msg_blocks_too_long' });
  });

  it('refuses more than 50 blocks, a second table, malformed tables and markdown blocks', async () => {
    expect(await postMessage(Array.from({ length: 50 }, () => markdown(10)))).toMatchObject({ ok: true });
    expect(await postMessage(Array.from({ length: 51 }, () => markdown(10)))).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await postMessage([markdown(5), table])).toMatchObject({ ok: true });
    expect(await postMessage([table, table])).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await postMessage([{ type: 'table', rows: [[{ type: 'raw_text', text: '' }]] }])).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await postMessage([{ type: 'table', rows: [Array.from({ length: 21 }, () => ({ type: 'raw_text', text: 'c' }))] }])).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
    expect(await postMessage([{ type: 'markdown', text: { type: 'mrkdwn', text: 'x' } }])).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await postMessage([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }])).toEqual({ ok: false, error: 'invalid_blocks' });
  });

  it('takes a streamed reply’s end (Muse’s buttons, then the feedback buttons) and refuses malformed feedback buttons', async () => {
    const buttons = actionBlocks([{ id: 'story.continue', label: 'Go on', run: { command: 'story', sub: 'continue' } }]);
    expect(await streamEndingWith([...buttons, feedbackBlock()])).toMatchObject({ ok: true });
    const feedback = feedbackBlock() as unknown as { elements: Array<Record<string, unknown>> };
    const noValue = { ...feedback, elements: [{ ...feedback.elements[0], positive_button: { text: { type: 'plain_text', text: '👍' } } }] };
    expect(await streamEndingWith([noValue])).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await streamEndingWith([{ type: 'context_actions', elements: [] }])).toEqual({ ok: false, error: 'invalid_blocks' });
  });

  it('records the control sequences that would ping someone', async () => {
    await postMessage([{ type: 'markdown', text: 'hi <!here> &lt;!channel&gt;' }]);
    expect(slack!.pings).toEqual([{ method: 'chat.postMessage', mention: '<!here>' }]);
    await call('chat.startStream', { channel: 'D1', thread_ts: '1.000001', markdown_text: 'a <@U123> b' });
    expect(slack!.pings.at(-1)).toEqual({ method: 'chat.startStream', mention: '<@U123>' });
  });
});
