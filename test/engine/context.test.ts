import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { MAX_SUMMARY_CHARS } from '../../src/engine/summarizer.js';
import { FakeBackend } from '../../src/model/fake.js';
import { channel, makeEngine } from '../support/engine.js';
import { dataBlock } from '../support/prompt.js';

const key = conversationKey(channel);
const long = (n: number) => `turn ${n} ${'word '.repeat(60)}`.trim();

describe('engine: context budget and summary', () => {
  it('fits the most recent turns to the budget, says so, and folds older turns into a summary off the critical path', async () => {
    const backend = new FakeBackend({
      fallback: (req) =>
        req.messages[0]!.content.startsWith('You keep the running summary')
          ? `SUMMARY(${req.messages
              .at(-1)!
              .content.match(/turn \d+/g)
              ?.join(',')})`
          : 'Short reply.',
    });
    // storyteller reserves 700 tokens for the reply; ~1,150 tokens leave room for a few turns.
    const t = await makeEngine({ backend, limits: { contextTokens: 1800, summaryBatch: 2 } });
    const notices: string[] = [];
    for (let n = 1; n <= 12; n++) {
      const reply = await t.send(long(n));
      expect(reply.done).toBeTruthy();
      for (const p of reply.parts) if (p.type === 'notice') notices.push(p.text);
    }
    await t.engine.idle();
    const replyCalls = backend.calls.filter((c) => !c.messages[0]!.content.startsWith('You keep the running summary'));
    const last = replyCalls.at(-1)!;
    const users = last.messages.filter((m) => m.role === 'user').map((m) => m.content.slice(0, 15));
    // The newest turn is always there; the oldest are not.
    expect(users.at(-1)).toBe('Alice: turn 12 ');
    expect(users).not.toContain('Alice: turn 1 w');
    const estimated = last.messages.reduce((sum, m) => sum + m.content.length / 4, 0);
    expect(estimated).toBeLessThan(1800 - 700);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatch(/^\(Older turns no longer fit Muse's context; \d+ of them are being folded into the summary\.\)$/);

    const summaryCalls = backend.calls.filter((c) => c.messages[0]!.content.startsWith('You keep the running summary'));
    expect(summaryCalls.length).toBeGreaterThan(0);
    const meta = await t.store.getMeta(key);
    expect(meta!.summarizedUpTo).toBeGreaterThan(0);
    expect(meta!.summary).toMatch(/^SUMMARY\(turn 1/);

    // The next reply carries the summary as data (it is made of what people wrote), and no already-summarised turn.
    await t.send('what now?');
    const next = backend.calls.filter((c) => !c.messages[0]!.content.startsWith('You keep the running summary')).at(-1)!;
    expect(next.messages[1]).toMatchObject({ role: 'system' });
    expect(dataBlock(next.messages, 'Summary of the conversation so far')).toMatch(/^SUMMARY\(/);
    expect(next.messages[0]!.content).not.toContain('SUMMARY(');
  });

  it('waits until a batch of turns has dropped out before summarising', async () => {
    const t = await makeEngine({ limits: { maxContextTurns: 4, summaryBatch: 6 } });
    const isSummary = (c: { messages: Array<{ content: string }> }) => c.messages[0]!.content.startsWith('You keep the running summary');
    for (let n = 1; n <= 5; n++) await t.send(`turn ${n}`);
    await t.engine.idle();
    // Turn 5's window started at index 4: four turns dropped, fewer than the batch of six.
    expect(t.backend.calls.some(isSummary)).toBe(false);
    await t.send('turn 6');
    await t.engine.idle();
    expect(t.backend.calls.filter(isSummary)).toHaveLength(1);
    expect((await t.store.getMeta(key))!.summarizedUpTo).toBe(6);
  });

  it(`keeps at most ${MAX_SUMMARY_CHARS.toLocaleString('en-US')} characters of summary, cut at a sentence`, async () => {
    const isSummary = (c: { messages: Array<{ content: string }> }) => c.messages[0]!.content.startsWith('You keep the running summary');
    const runOn = Array.from({ length: 400 }, (_, i) => `Sentence ${i} of a summary that does not stop.`).join(' ');
    const backend = new FakeBackend();
    // Scripted answers are not cut at maxOutputTokens: a server that ignores it runs on like this.
    const answer = (req: { messages: Array<{ content: string }> }) => (isSummary(req) ? runOn : 'ok');
    backend.push(...Array.from({ length: 12 }, () => answer));
    const t = await makeEngine({ backend, limits: { maxContextTurns: 2, summaryBatch: 2 } });
    for (let n = 1; n <= 4; n++) await t.send(`turn ${n}`);
    await t.engine.idle();
    const summary = (await t.store.getMeta(key))!.summary;
    expect(backend.calls.some(isSummary)).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(summary.length).toBeGreaterThan(MAX_SUMMARY_CHARS / 2);
    expect(summary).toMatch(/^Sentence 0 of a summary .* stop\.…$/);
  });

  it('reads a bounded window, whatever the conversation length', async () => {
    const t = await makeEngine({ limits: { maxContextTurns: 6 } });
    for (let n = 1; n <= 20; n++) await t.send(`short ${n}`);
    // The last reply's request (a summary may be running in the background, on the same model).
    const last = t.backend.calls.filter((c) => !c.messages[0]!.content.startsWith('You keep the running summary')).at(-1)!;
    const messages = last.messages.filter((m) => m.role !== 'system');
    expect(messages.length).toBe(7); // six earlier turns + the new one
    expect(messages.at(-1)!.content).toBe('Alice: short 20');
  });

  it('drops a summary that finishes after the conversation was cleared and started again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const isSummary = (c: { messages: Array<{ content: string }> }) => c.messages[0]!.content.startsWith('You keep the running summary');
    const backend = new FakeBackend({ fallback: 'ok' });
    const t = await makeEngine({ backend, limits: { maxContextTurns: 2, summaryBatch: 2 } });
    await t.send('turn 1');
    await t.send('turn 2');
    // On the third turn the first exchange falls out of the two-turn window; its summary blocks.
    backend.push('ok', (req) => (isSummary(req) ? { parts: ['STALE SUMMARY'], after: gate } : 'ok'));
    await t.send('turn 3');
    while (!backend.calls.some(isSummary)) await new Promise((r) => setImmediate(r));
    const cleared = await t.send('/memory clear');
    expect(cleared.text).toBe('Muse has forgotten this conversation.');
    // The conversation starts again and grows past where the stale summary would apply.
    await t.send('new 1');
    await t.send('new 2');
    release();
    await t.engine.idle();
    const meta = await t.store.getMeta(key);
    expect(meta!.count - meta!.base).toBe(4);
    expect(meta!.summary).not.toBe('STALE SUMMARY');
  });
});
