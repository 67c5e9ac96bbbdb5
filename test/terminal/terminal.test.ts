import { mkdtempSync, readFileSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { REPO, runMuse } from '../support/run-muse.js';

type Fake = Awaited<ReturnType<typeof startFakeOpenAI>>;
let fake: Fake;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  dir = mkdtempSync(join(tmpdir(), 'muse-terminal-'));
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

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('terminal channel (child process)', () => {
  it('prints the reply on stdout and continues the conversation from the store on the next call', async () => {
    fake.enqueue({ kind: 'reply', text: 'The fox bows to you.', chunks: 4 });
    const first = await runMuse(['--channel', 'forest', '--say', 'I greet the fox'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('The fox bows to you.\n');

    fake.enqueue({ kind: 'reply', text: 'It leads you on.' });
    const second = await runMuse(['--channel', 'forest', '--say', 'I follow it'], env);
    expect(second.code).toBe(0);
    const sent = fake.chatRequests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.slice(1).map((m) => m.content)).toEqual([
      expect.stringMatching(/: I greet the fox$/),
      'The fox bows to you.',
      expect.stringMatching(/: I follow it$/),
    ]);
    // Logs went to the log file, not into the conversation, and the key is not in them.
    const log = readFileSync(join(dir, 'muse.log'), 'utf8');
    expect(log).toContain('muse ready');
    expect(log).not.toContain('sk-test-secret-key-123456');
  });

  it('runs a command in text form', async () => {
    fake.enqueue({ kind: 'reply', text: 'Red leaves on the path\nthe wind counts them one by one\nand loses its place' });
    const run = await runMuse(['--channel', 'poems', '--say', '/poem autumn leaves form:haiku'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Red leaves on the path\nthe wind counts them one by one\nand loses its place\nhaiku 5-7-5 ✓\n');
    const sent = fake.chatRequests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(sent.messages[0]!.content).toMatch(/You are Muse, a poet/);
  });

  it.each([
    ['empty text', '', 'The message is empty; write something for Muse to answer.'],
    [
      '100,000 characters',
      'x'.repeat(100_000),
      'That message is 100,000 characters long; Muse takes at most 4,000 at a time, so nothing was sent. Please split it into shorter messages.',
    ],
    ['an unknown command', '/dance wildly', 'There is no command /dance. Type /help to see the commands.'],
    ['an unknown persona', '/persona use ghost', 'There is no persona "ghost". Available: copywriter, poet, storyteller, tutor.'],
  ])('answers %s with one sentence on stderr and a non-zero exit', async (_label, text, sentence) => {
    const before = fake.chatRequests.length;
    const run = await runMuse(['--channel', 'bad', '--say', text], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${sentence}\n`);
    expect(fake.chatRequests.length).toBe(before);
  });

  it('a reply cut off by a failure is an error: what was shown stays, nothing of the turn is saved', async () => {
    fake.enqueue({ kind: 'cut', text: 'The bridge begins to sway and then', afterChunks: 3 });
    const run = await runMuse(['--channel', 'cut', '--say', 'I cross the bridge'], env);
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/cut off/);
    noStack(run.stderr);
    fake.enqueue({ kind: 'reply', text: 'You are on the bank.' });
    await runMuse(['--channel', 'cut', '--say', 'Where am I?'], env);
    const sent = fake.chatRequests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(sent.messages.slice(1).map((m) => m.content)).toEqual([expect.stringMatching(/: Where am I\?$/)]);
  });

  it('a model server that refuses the key gives a clear sentence without the key', async () => {
    fake.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test-secret-key-123456' });
    const run = await runMuse(['--channel', 'auth', '--say', 'hello'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/rejected Muse's API key/);
    expect(run.stderr).not.toContain('sk-test');
    noStack(run.stderr);
  });

  it('a broken persona file is named and does not take the other personas down', async () => {
    const personas = mkdtempSync(join(tmpdir(), 'muse-personas-'));
    cpSync(resolve(REPO, 'personas'), personas, { recursive: true });
    writeFileSync(
      join(personas, 'broken.md'),
      '---\nname: Broken Name\ndescription: x\nmode: chat\ntemperature: 1\nmax_output_tokens: 100\ngreeting: hi\n---\nPrompt\n',
    );
    const run = await runMuse(['--channel', 'p', '--say', '/persona list'], { ...env, MUSE_PERSONAS_DIR: personas });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('storyteller');
    expect(run.stdout).toMatch(/broken\.md could not be loaded: name: must be 1-32 lowercase letters/);
    fake.enqueue({ kind: 'reply', text: 'Once upon a time.' });
    const story = await runMuse(['--channel', 'p', '--say', '/story new a lost kite'], { ...env, MUSE_PERSONAS_DIR: personas });
    expect(story.code).toBe(0);
  });

  it('lists every configuration problem at once and prints no secret', async () => {
    const run = await runMuse(['--say', 'hi'], { ...env, MUSE_MODEL: 'gpt-4', PORT: 'eighty', MUSE_STORE_URL: 'mongodb://x' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Muse's configuration has 3 problems:");
    expect(run.stderr).toContain('- MUSE_MODEL: must be openai:<model>, local:<path.gguf> or fake');
    expect(run.stderr).toContain('- PORT: must be a whole number from 1 to 65535');
    expect(run.stderr).toContain('- MUSE_STORE_URL: must start with');
    expect(run.stderr).not.toContain('sk-test');
  });

  it('says in one sentence what to set when the default model cannot be downloaded', async () => {
    const models = mkdtempSync(join(tmpdir(), 'muse-models-'));
    const run = await runMuse(['--say', 'hello'], {
      MUSE_STORE_URL: 'memory://',
      MUSE_LOG_FILE: join(dir, 'offline.log'),
      MUSE_MODELS_DIR: models,
      MUSE_DEFAULT_MODEL_URI: 'http://127.0.0.1:1/Qwen/tiny.gguf',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/set MUSE_MODEL=local:.*OPENAI_API_KEY/);
    expect(existsSync(join(models, 'tiny.gguf'))).toBe(false);
  });

  it('interactive: streams replies, runs commands, and leaves on /quit', async () => {
    fake.enqueue({ kind: 'reply', text: 'A lantern glows.', chunks: 3 });
    const run = await runMuse(['--channel', 'live'], env, '/help\nI look around\n/quit\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('terminal channel "live"');
    expect(run.stdout).toContain('/story new <premise> [persona]');
    expect(run.stdout).toContain('A lantern glows.');
    expect(run.stderr).toBe('');
  });
});
