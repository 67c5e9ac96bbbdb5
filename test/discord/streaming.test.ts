import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITING_MARKER } from '../../src/adapters/discord/render.js';
import { ModelError } from '../../src/model/types.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

const run = runInteraction;

function longStory(): string {
  const paragraphs: string[] = [];
  let i = 0;
  while (paragraphs.join('\n\n').length < 5000) {
    i++;
    paragraphs.push(`Paragraph ${i}. ` + 'The river carried the lantern past sleeping houses and silent mills. '.repeat(4).trim());
  }
  return paragraphs.join('\n\n').slice(0, 5000).trimEnd() + '.';
}

describe('discord streaming replies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Markdown survives the 2,000-character split: headings and list items whole, a long code block closed and reopened', async () => {
    const section = (n: number) =>
      `## Chapter ${n}: the river\n\n` + Array.from({ length: 6 }, (_, i) => `- item ${n}.${i}: the lantern passes mill number ${i} in the dark`).join('\n');
    const code = '```python\n' + Array.from({ length: 70 }, (_, i) => `lantern_${i} = drift(river, mills[${i}])  # step ${i}`).join('\n') + '\n```';
    const text = [section(1), section(2), section(3), code, section(4), '**The end.**'].join('\n\n');
    expect(code.length).toBeGreaterThan(2000);
    h.backend.push(text);
    const { replies } = await run(h, () => h.fake.slash({ name: 'poem', options: { topic: 'a river' } }));
    const contents = replies.map((r) => r.content);
    expect(contents.length).toBeGreaterThanOrEqual(3);
    for (const c of contents) {
      expect(c.length).toBeLessThanOrEqual(2000);
      // Every message renders on its own: the code fences it opens, it closes.
      expect((c.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    // The block was cut: one message closes it, the next reopens it with its language.
    const opened = contents.filter((c) => c.includes('```python'));
    expect(opened.length).toBeGreaterThanOrEqual(2);
    for (const c of opened.slice(1)) expect(c.startsWith('```python\n')).toBe(true);
    for (const c of opened.slice(0, -1)) expect(c.endsWith('\n```')).toBe(true);
    // Headings and list items are never cut in two, and nothing is lost but the added fence lines.
    for (const line of text.split('\n').filter((l) => l.startsWith('## ') || l.startsWith('- '))) {
      expect(contents.some((c) => c.split('\n').includes(line))).toBe(true);
    }
    const joined = contents.join('').replace(/\n```\n?```python\n/g, '\n');
    expect(joined).toBe(text);
  });

  it('a 5,000-character reply continues in follow-ups, split at paragraphs, nothing lost', async () => {
    const text = longStory();
    expect(text.length).toBeGreaterThanOrEqual(4990);
    h.backend.push(text);
    const { replies } = await run(h, () => h.fake.slash({ name: 'poem', options: { topic: 'a river' } }));
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const r of replies) {
      expect(r.content.length).toBeLessThanOrEqual(2000);
      expect(r.content).not.toContain(WRITING_MARKER);
    }
    expect(replies.map((r) => r.content).join('')).toBe(text);
    // Every message but the last ends at a paragraph break.
    for (const r of replies.slice(0, -1)) expect(r.content.endsWith('\n\n')).toBe(true);
  });

  it('a 429 from REST is retried by discord.js and the reply still lands', async () => {
    h.fake.rateLimit((method, path) => method === 'PATCH' && path.endsWith('/messages/@original'), { retryAfter: 0.05 });
    const { token, replies } = await run(h, () => h.fake.slash({ name: 'help' }));
    const edits = h.fake.requests.filter((r) => r.path.includes(`/${token}/messages/@original`));
    expect(edits.map((r) => r.status)).toEqual([429, 200]);
    expect(replies[0]!.content).toContain('/story new');
  });

  it('a model failure mid-stream ends the message with a clear sentence', async () => {
    h.backend.push({ parts: ['The dragon ', 'rose ', new ModelError('interrupted', 'The model server stopped answering.')], delayMs: 20 });
    const { replies } = await run(h, () => h.fake.slash({ name: 'poem', options: { topic: 'dragons' } }));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toMatch(/^The dragon rose\n\n⚠️ The model server stopped answering\. The reply was cut off and was not saved\.$/);
    expect(replies[0]!.components).toEqual([]);
  });

  it('a model failure before any text still finishes the deferred reply', async () => {
    h.backend.push(new ModelError('auth', 'The model server rejected the API key.'));
    const { replies } = await run(h, () => h.fake.slash({ name: 'poem', options: { topic: 'keys' } }));
    expect(replies.map((r) => r.content)).toEqual(['⚠️ The model server rejected the API key.']);
  });

  it('/story export sends the story as an attachment', async () => {
    h.backend.push('Beat one.');
    await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'Export me' }, appPermissions: 0n }));
    const { token, replies } = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'export' }));
    const upload = h.fake.requests.find((r) => r.path.includes(`/${token}/`) && r.files.length > 0)!;
    expect(upload.files[0]!.name).toMatch(/\.md$/);
    expect(upload.files[0]!.content).toContain('Beat one.');
    expect(replies[0]!.attachments).toHaveLength(1);
    expect(upload.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
