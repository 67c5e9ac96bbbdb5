import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function postMessage(blocks: unknown[]): Promise<{ ok: boolean; error?: string }> {
  slack ??= await new FakeSlack().start();
  const res = await fetch(`${slack.url}chat.postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
    body: JSON.stringify({ channel: 'C1', text: 'fallback', blocks }),
  });
  return (await res.json()) as { ok: boolean; error?: string };
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

  it('records the control sequences that would ping someone', async () => {
    await postMessage([{ type: 'markdown', text: 'hi <!here> &lt;!channel&gt;' }]);
    expect(slack!.pings).toEqual([{ method: 'chat.postMessage', mention: '<!here>' }]);
  });
});
