import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalLocale } from '../../src/adapters/terminal/terminal.js';
import { runMuse } from '../support/run-muse.js';

describe("terminal: Muse's own sentences in the environment's language", () => {
  it('takes LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(terminalLocale({ LANG: 'zh_CN.UTF-8' })).toBe('zh_CN.UTF-8');
    expect(terminalLocale({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C.UTF-8' })).toBe('C.UTF-8');
    expect(terminalLocale({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_TW.UTF-8' })).toBe('zh_TW.UTF-8');
    expect(terminalLocale({})).toBeUndefined();
  });

  it('with LANG=zh_CN.UTF-8 a refusal on stderr and /help are in Chinese (child process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muse-lang-'));
    const env = {
      MUSE_MODEL: 'fake',
      MUSE_STORE_URL: `sqlite://${join(dir, 'muse.sqlite')}`,
      MUSE_LOG_FILE: join(dir, 'muse.log'),
      LANG: 'zh_CN.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
    };
    const refused = await runMuse(['--channel', 'x', '--say', '/story fly away'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^\/story 没有子命令“fly”；可以试试：.+。\n$/);
    const help = await runMuse(['--channel', 'x', '--say', '/help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('Muse 和整个频道一起讲故事、写诗、当老师。命令：\n')).toBe(true);
    const english = await runMuse(['--channel', 'x', '--say', '/story fly away'], { ...env, LANG: 'en_US.UTF-8' });
    expect(english.stderr).toMatch(/^\/story has no subcommand "fly"; try one of: .+\.\n$/);
  });
});
