import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamedMarkdown, terminalMarkdown } from '../../src/adapters/terminal/markdown.js';
import { runTerminal, sayOnce } from '../../src/adapters/terminal/terminal.js';
import { FakeBackend } from '../../src/model/fake.js';
import { makeEngine, type TestEngine } from '../support/engine.js';

const REPLY = "## The Harbour Map\n\nThe **Silver Gull** sails; see [the captain's log](https://example.test/log).\n\n- rope\n- lantern";

let te: TestEngine | undefined;
afterEach(async () => {
  await te?.engine.idle();
  await te?.store.close();
  te = undefined;
});

/** Everything written to a stream, optionally posing as a TTY. */
function screen(isTTY: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const out = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  out.isTTY = isTTY;
  out.text = () => text;
  return out;
}

/** One line typed in the interactive terminal, then /quit; returns what it printed. */
async function converse(line: string, opts: { tty?: boolean; outputIsTTY?: boolean }): Promise<string> {
  te = await makeEngine({ backend: new FakeBackend({ chunkSize: 7 }).push(REPLY) });
  const input = new PassThrough();
  const output = screen(opts.outputIsTTY ?? false);
  const done = runTerminal({
    engine: te.engine,
    channel: 'md',
    input,
    output,
    errors: screen(false),
    exportsDir: mkdtempSync(join(tmpdir(), 'muse-md-')),
    ...(opts.tty === undefined ? {} : { tty: opts.tty }),
  });
  // Typed once the prompt shows (as a person would).
  await new Promise<void>((resolve) => {
    const check = () => (output.text().includes('> ') ? resolve() : setTimeout(check, 5));
    check();
  });
  input.end(`${line}\n/quit\n`);
  await done;
  return output.text();
}

describe('terminal: Markdown', () => {
  it('in a TTY, renders headings, bold, lists and links (text plus URL)', async () => {
    const printed = await converse('show me the map', { tty: true });
    expect(printed).toContain('The Harbour Map');
    expect(printed).not.toContain('## ');
    expect(printed).toContain('Silver Gull');
    expect(printed).not.toContain('**');
    expect(printed).toContain("the captain's log (https://example.test/log)");
    expect(printed).not.toContain('](');
    expect(printed).toMatch(/^\s*\* rope$/m);
  });

  it('an output that is a TTY is rendered without being told', async () => {
    const printed = await converse('show me the map', { outputIsTTY: true });
    expect(printed).toContain('Silver Gull');
    expect(printed).not.toContain('**');
  });

  it('through a pipe, prints the Markdown as written', async () => {
    const printed = await converse('show me the map', { outputIsTTY: false });
    expect(printed).toContain(REPLY);
  });

  it('one-shot (--say) prints the Markdown as written, even to a TTY', async () => {
    te = await makeEngine({ backend: new FakeBackend().push(REPLY) });
    const out = screen(true);
    const code = await sayOnce({ engine: te.engine, channel: 'md1', text: 'the map', output: out, errors: screen(false) });
    expect(code).toBe(0);
    expect(out.text()).toBe(`${REPLY}\n`);
  });

  it('renders each paragraph once it is complete, so a reply still streams; a code block is never cut', () => {
    const view = new StreamedMarkdown(terminalMarkdown());
    expect(view.push('The **first** para')).toBe('');
    expect(view.push('graph.\n\nThe sec')).toBe('The first paragraph.');
    expect(view.push('ond.\n\n```\ncode\n\nmore')).toBe('\n\nThe second.');
    expect(view.push(' code\n```\n\nLast')).toMatch(/^\n\n\s*code\n\s*\n\s*more code$/);
    expect(view.end()).toBe('\n\nLast');
  });
});
