import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { runMuse } from '../support/run-muse.js';

/** A story's cast and author's note in the terminal, through the child process and the fake OpenAI server. */
type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;
let fake: Fake;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const dir = mkdtempSync(join(tmpdir(), 'muse-terminal-cast-'));
  env = {
    MUSE_MODEL: 'openai:test-model',
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test-secret-key-123456',
    MUSE_STORE_URL: `sqlite://${join(dir, 'muse.sqlite')}`,
    MUSE_LOG_FILE: join(dir, 'muse.log'),
  };
});
afterAll(async () => {
  await fake.close();
});

const say = async (line: string) => {
  const out = await runMuse(['--channel', 'inn', '--say', line], env);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return out.stdout;
};
const messagesOf = (k: number) => (fake.chatRequests[k]!.body as { messages: Array<{ role: string; content: string }> }).messages;

describe('terminal: a story cast and the author’s note', () => {
  it('prints cast lines as Name: "…" and sends the note last before every new turn until it is cleared', async () => {
    fake.enqueue({ kind: 'reply', text: 'The inn waits.' });
    await say('/story new the last inn');
    expect(await say('/story cast add Mira')).toContain('Mira joins the cast');
    expect(await say('/story note keep it cosy')).toContain('Author’s note set');
    fake.enqueue({ kind: 'reply', text: 'The fire cracks.\nMira: "Welcome."\nShe smiles.' });
    expect(await say('/story continue')).toContain('The fire cracks.\nMira: "Welcome."\nShe smiles.');
    fake.enqueue({ kind: 'reply', text: 'Soup arrives.' });
    await say('I order soup');
    const withNote = [fake.chatRequests.length - 2, fake.chatRequests.length - 1].map((k) => messagesOf(k).at(-2)!.content);
    expect(withNote.every((c) => c.includes("⟦data: The author's note") && c.includes('keep it cosy'))).toBe(true);
    expect(await say('/story note')).toContain('Author’s note cleared.');
    fake.enqueue({ kind: 'reply', text: 'Night.' });
    await say('/story continue');
    expect(messagesOf(fake.chatRequests.length - 1).some((m) => m.content.includes("The author's note"))).toBe(false);
  });
});
