import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { runMuse } from '../support/run-muse.js';

/** Story votes in the terminal (one player) through the child process and the fake OpenAI server. */
const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall';

type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;
let fake: Fake;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const dir = mkdtempSync(join(tmpdir(), 'muse-terminal-votes-'));
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

const lastUserMessage = () => {
  const sent = fake.chatRequests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
  return sent.messages.filter((m) => m.role === 'user').at(-1)!.content;
};

describe('terminal: a story vote with one player', () => {
  it('one-shot: a number decides at once and prints the result and the beat that follows it', async () => {
    fake.enqueue({ kind: 'reply', text: BEAT });
    const opening = await runMuse(['--channel', 'fox', '--say', '/story new a fox'], env);
    expect(opening.stderr).toBe('');
    expect(opening.code).toBe(0);
    expect(opening.stdout).toContain('3. Wait for nightfall\nType 1, 2, 3 to choose, or write your own action.');

    fake.enqueue({ kind: 'reply', text: 'The right path climbs into the hills.' });
    const picked = await runMuse(['--channel', 'fox', '--say', '2'], env);
    expect(picked.stderr).toBe('');
    expect(picked.code).toBe(0);
    expect(picked.stdout).toMatch(
      /^The vote is closed: 2\. "Take the right path" wins with 1 of 1 vote\. Votes: .+ → 2\.\n\nThe right path climbs into the hills\.\n/,
    );
    expect(lastUserMessage()).toContain('The players chose: Take the right path. Narrate what happens next, following this choice.');
  });

  it("one-shot: a window that ended between runs is closed and printed at the next start, before that turn's reply, once, for this channel only", async () => {
    fake.enqueue({ kind: 'reply', text: BEAT }, { kind: 'reply', text: BEAT });
    expect((await runMuse(['--channel', 'late', '--say', '/story new a fox vote:1'], env)).code).toBe(0);
    expect((await runMuse(['--channel', 'other', '--say', '/story new a hare vote:1'], env)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1050)); // both 1-second windows end while Muse is not running
    const requests = fake.chatRequests.length;
    const next = await runMuse(['--channel', 'late', '--say', '/memory show'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^The vote closed with no votes\. Write what happens next, or use \/story continue\.\nPersona: storyteller\n/);
    expect(next.stdout).not.toContain('hare');
    const again = await runMuse(['--channel', 'late', '--say', '/memory show'], env);
    expect(again.stdout).toMatch(/^Persona: storyteller\n/);
    const other = await runMuse(['--channel', 'other', '--say', '/memory show'], env);
    expect(other.stdout).toMatch(/^The vote closed with no votes\. .*\nPersona: storyteller\n(.|\n)*Story: a hare/);
    expect(fake.chatRequests.length).toBe(requests);
  });

  it('interactive: a number decides at once', async () => {
    fake.enqueue({ kind: 'reply', text: BEAT }, { kind: 'reply', text: 'Night falls over the fork.' });
    const run = await runMuse(['--channel', 'fox-live'], env, '/story new a fox\n3\n/quit\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/The vote is closed: 3\. "Wait for nightfall" wins with 1 of 1 vote\. Votes: .+ → 3\.\n\nNight falls over the fork\.\n/);
    expect(lastUserMessage()).toContain('The players chose: Wait for nightfall.');
  });
});
