import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../src/net/download.js';
import { makeEngine } from '../support/engine.js';

/** The terminal's path: option takes files under the same limit as Discord and Slack attachments. */
const terminal = { conversation: { platform: 'terminal', workspace: 'local', channel: 'default', dm: true } };

describe('one upload limit', () => {
  it('refuses a 9 MB file given by path: in the terminal with the sentence that names 8 MB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muse-upload-'));
    const path = join(dir, 'huge-world.json');
    writeFileSync(path, Buffer.alloc(9 * 1024 * 1024, 0x20));
    const t = await makeEngine();
    for (const command of [`/lore import path:${path}`, `/persona import path:${path}`]) {
      const reply = await t.send(command, terminal);
      expect(reply.error?.message).toBe('The file "huge-world.json" is 9 MB; Muse takes files up to 8 MB.');
    }
  });

  it('takes a file of exactly the limit as far as size goes (what it holds is judged next)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muse-upload-'));
    const path = join(dir, 'edge.json');
    writeFileSync(path, Buffer.alloc(MAX_UPLOAD_BYTES, 0x20));
    const t = await makeEngine();
    const reply = await t.send(`/lore import path:${path}`, terminal);
    expect(reply.error?.message).not.toMatch(/Muse takes files up to/);
  });
});
