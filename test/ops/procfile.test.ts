import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-muse.js';

/** The Procfile's process types and their commands. */
function procfile(): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of readFileSync(join(REPO, 'Procfile'), 'utf8').split('\n')) {
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line.trim());
    if (match) types.set(match[1]!, match[2]!);
  }
  return types;
}

/** Runs a Procfile command as the platform does (no shell, no npm), with only `env`. */
function run(command: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [program, ...args] = command.split(/\s+/);
  expect(program).toBe('node');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Procfile', () => {
  it('runs Muse with node directly (so SIGTERM reaches it): web, worker and release', () => {
    expect(Object.fromEntries(procfile())).toEqual({
      web: 'node --import tsx src/main.ts --role web',
      worker: 'node --import tsx src/main.ts --role gateway',
      release: 'node --import tsx scripts/deploy-commands.ts',
    });
  });

  it('the release step passes with a log line when DISCORD_TOKEN is unset', async () => {
    const result = await run(procfile().get('release')!, {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DISCORD_TOKEN is not set, so there are no Discord commands to register; skipped');
    expect(result.stderr).toBe('');
  });

  it('the web process on a one-process store stops at once with the sentence that says why', async () => {
    const result = await run(procfile().get('web')!, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', MUSE_STORE_URL: 'sqlite://./data/never.sqlite' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "Muse's configuration has a problem:\n- MUSE_ROLE: web is one of several processes, and they share conversations only through Redis or Postgres; set MUSE_STORE_URL to redis://… or postgresql://… (sqlite:// and memory:// belong to one process)\n",
    );
  });
});
