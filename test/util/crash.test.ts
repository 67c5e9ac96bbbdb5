import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/run-muse.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an exception nothing catches', () => {
  it('is logged with its stack and ends Muse with exit code 1 (for its supervisor to restart it); stderr gets one sentence', async () => {
    const log = join(dir, 'muse.log');
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/util/crash-preload.ts', 'src/main.ts', '--channel', 'crash'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', MUSE_MODEL: 'fake', MUSE_STORE_URL: 'memory://', MUSE_LOG_FILE: log },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    // stdin stays open: the terminal conversation waits for a line when the exception comes.
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    expect({ code, stderr }).toEqual({ code: 1, stderr: 'Muse stopped because of an unexpected error: boom from the test (the details are in the log).\n' });
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string; stack: string } });
    const fatal = lines.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/^uncaught exception/);
    expect(fatal[0]!.err?.message).toBe('boom from the test');
    expect(fatal[0]!.err?.stack).toMatch(/crash-preload\.ts/);
  });
});
