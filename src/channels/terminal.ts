import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Engine } from '../engine/engine.js';
import type { ConversationRef, Speaker } from '../engine/conversation.js';
import type { ReplyPart } from '../engine/parts.js';
import { actionsLine } from './render-text.js';

export interface TerminalOptions {
  engine: Engine;
  channel: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  errors?: NodeJS.WritableStream;
  exportsDir?: string;
  banner?: string;
}

function localSpeaker(): Speaker {
  let name = 'you';
  try {
    name = userInfo().username || name;
  } catch {
    /* no passwd entry */
  }
  return { id: `local:${name}`, name };
}

function terminalRef(channel: string): ConversationRef {
  return { platform: 'terminal', workspace: 'local', channel, dm: true };
}

interface RenderResult {
  ok: boolean;
  /** The error sentence, when not ok. */
  message?: string;
}

/** Writes one reply's parts: text as it streams, messages, notices, files; errors to stderr. */
async function render(parts: AsyncIterable<ReplyPart>, out: NodeJS.WritableStream, err: NodeJS.WritableStream, exportsDir: string): Promise<RenderResult> {
  let streamed = false;
  let lineOpen = false;
  const write = (text: string) => {
    out.write(text);
    lineOpen = !text.endsWith('\n');
  };
  const endLine = () => {
    if (lineOpen) write('\n');
  };
  for await (const part of parts) {
    switch (part.type) {
      case 'text':
        streamed = true;
        write(part.text);
        break;
      case 'message':
        endLine();
        write(`${part.text}\n`);
        break;
      case 'notice':
        endLine();
        write(`${part.text}\n`);
        break;
      case 'file': {
        mkdirSync(exportsDir, { recursive: true });
        const path = join(exportsDir, part.file.name);
        writeFileSync(path, part.file.content);
        endLine();
        write(`Saved ${path}\n`);
        break;
      }
      case 'actions': {
        endLine();
        // A story's choices are already listed under the beat: typing the number picks one.
        const choices = part.actions.filter((a) => a.id.startsWith('story.choice.'));
        const others = part.actions.filter((a) => !a.id.startsWith('story.choice.'));
        if (choices.length) write(`Type ${choices.map((_, k) => k + 1).join(', ')} to choose, or write your own action.\n`);
        if (others.length) write(`${actionsLine(others)}\n`);
        break;
      }
      case 'replace':
        break;
      case 'done':
        endLine();
        return { ok: true };
      case 'error':
        if (streamed) endLine();
        err.write(`${part.message}\n`);
        return { ok: false, message: part.message };
    }
  }
  endLine();
  return { ok: true };
}

/** One-shot: `--channel NAME --say TEXT`. Returns the process exit code. */
export async function sayOnce(opts: TerminalOptions & { text: string }): Promise<number> {
  const out = opts.output ?? process.stdout;
  const err = opts.errors ?? process.stderr;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const parts = opts.engine.handle({ conversation: terminalRef(opts.channel), speaker: localSpeaker(), text: opts.text, signal: controller.signal });
    const result = await render(parts, out, err, resolve(opts.exportsDir ?? 'exports'));
    return result.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The interactive terminal conversation. Resolves when the user leaves. */
export async function runTerminal(opts: TerminalOptions): Promise<void> {
  const out = opts.output ?? process.stdout;
  const err = opts.errors ?? process.stderr;
  const input = opts.input ?? process.stdin;
  const speaker = localSpeaker();
  const ref = terminalRef(opts.channel);
  const exportsDir = resolve(opts.exportsDir ?? 'exports');
  const rl = createInterface({ input, output: out, terminal: (input as { isTTY?: boolean }).isTTY === true, prompt: `${speaker.name}> ` });
  if (opts.banner) out.write(`${opts.banner}\n`);
  let current: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (current) {
      current.abort();
      err.write('\n(cancelled)\n');
    } else {
      rl.close();
    }
  });
  // What Muse says unasked (a vote closing) is printed between prompts.
  const detach = opts.engine.attach('terminal', async (target, parts) => {
    if (target.channel !== ref.channel) {
      for await (const part of parts) void part;
      return;
    }
    out.write('\n');
    await render(parts, out, err, exportsDir);
    rl.prompt(true);
  });
  rl.prompt();
  // Lines are handled one at a time, in order, even when pasted together.
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text === '') {
      rl.prompt();
      continue;
    }
    current = new AbortController();
    await render(opts.engine.handle({ conversation: ref, speaker, text, signal: current.signal }), out, err, exportsDir);
    current = undefined;
    rl.prompt();
  }
  detach();
  rl.close();
}
