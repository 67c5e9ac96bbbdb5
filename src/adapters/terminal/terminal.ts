import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Engine } from '../../engine/engine.js';
import type { ConversationRef, Speaker } from '../../engine/conversation.js';
import type { ReplyPart } from '../../engine/parts.js';
import { english, type Translate } from '../../i18n/index.js';
import { finish, readReply } from '../common/reply-plan.js';
import { surfaceWords } from '../common/words.js';
import { actionsLine } from './render-text.js';
import { StreamedMarkdown, terminalMarkdown } from './markdown.js';

export interface TerminalOptions {
  engine: Engine;
  channel: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  errors?: NodeJS.WritableStream;
  exportsDir?: string;
  banner?: string;
  /**
   * Render the replies' Markdown (bold, headings, lists, links) for a terminal. Default: when
   * `output` is a TTY. One-shot runs (sayOnce) always print the Markdown as written.
   */
  tty?: boolean;
  /** The language of Muse's own sentences (default: from LC_ALL, LC_MESSAGES or LANG; zh* is zh-CN). */
  locale?: string;
}

/** The environment's language as POSIX picks it: LC_ALL, then LC_MESSAGES, then LANG. */
export function terminalLocale(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || undefined;
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

/** Whoever runs Muse in a terminal manages its conversations. */
const OWNER = (): boolean => true;

function terminalRef(channel: string): ConversationRef {
  return { platform: 'terminal', workspace: 'local', channel, dm: true };
}

interface RenderResult {
  ok: boolean;
  /** The error sentence, when not ok. */
  message?: string;
}

/** Where a reply is drawn: the streams, where files go, and the Markdown renderer (a TTY's) if any. */
interface Screen {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  exportsDir: string;
  markdown?: ((markdown: string) => string) | undefined;
}

/**
 * Draws one reply's plan as lines: the text as it streams (in a TTY, rendered paragraph by
 * paragraph), then the notices, the files (saved under exports/) and the buttons as what to
 * type; the error sentence goes to stderr. The terminal is one person's: nothing in it is
 * private, and nothing is edited in place.
 */
async function render(parts: AsyncIterable<ReplyPart>, screen: Screen, t: Translate = english): Promise<RenderResult> {
  const { out, err, exportsDir } = screen;
  const rendered = screen.markdown ? new StreamedMarkdown(screen.markdown) : undefined;
  let lineOpen = false;
  const write = (text: string) => {
    if (!text) return;
    out.write(text);
    lineOpen = !text.endsWith('\n');
  };
  const endLine = () => {
    if (lineOpen) write('\n');
  };
  let printed = 0;
  const state = await readReply(parts, { t }, (s) => {
    const text = s.text.slice(printed);
    write(rendered ? rendered.push(text) : text);
    printed = s.text.length;
  });
  if (rendered) write(rendered.end());
  const plan = finish(state);
  const shown = plan.public;
  if (shown) {
    // A fallback ("What next?") when the reply had no text of its own.
    if (shown.text !== state.text) write(shown.text);
    endLine();
    for (const notice of shown.notices) write(`${notice}\n`);
    for (const file of shown.files) {
      mkdirSync(exportsDir, { recursive: true });
      const path = join(exportsDir, file.name);
      writeFileSync(path, file.content);
      write(`${t('terminal.saved', { path })}\n`);
    }
    // Choices that can be typed (a number listed under the text) are offered as such.
    const typed = shown.actions.filter((a) => a.typed);
    const others = shown.actions.filter((a) => !a.typed);
    if (typed.length) write(`${t('terminal.typeToChoose', { numbers: typed.map((a) => a.typed).join(', ') })}\n`);
    if (others.length) write(`${actionsLine(others)}\n`);
  }
  endLine();
  if (plan.ended === 'error') {
    const sentence = shown?.error ?? plan.private?.error ?? '';
    err.write(`${sentence}\n`);
    return { ok: false, message: sentence };
  }
  return { ok: true };
}

/** Reads an announcement for another terminal channel to its end without showing it. */
async function drain(parts: AsyncIterable<ReplyPart>): Promise<void> {
  for await (const part of parts) void part;
}

/**
 * Loads this channel's stored jobs: windows that closed while Muse was not running are closed
 * now and printed through the outbox. Other channels' jobs wait until that channel is opened.
 */
function sweep(engine: Engine, ref: ConversationRef, timers: boolean): Promise<void> {
  return engine.start(['terminal'], { only: (target) => target.channel === ref.channel, timers });
}

/**
 * One-shot: `--channel NAME --say TEXT`. Returns the process exit code (the turn's). The stored
 * deadlines are the timers here: windows that closed since the last run are closed and printed
 * first, and no timer is armed (nothing keeps the process alive).
 */
export async function sayOnce(opts: TerminalOptions & { text: string }): Promise<number> {
  const out = opts.output ?? process.stdout;
  const err = opts.errors ?? process.stderr;
  // Scripts get the Markdown as written.
  const screen: Screen = { out, err, exportsDir: resolve(opts.exportsDir ?? 'exports') };
  const ref = terminalRef(opts.channel);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const detach = opts.engine.attach('terminal', async (target, parts) => {
    if (target.channel !== ref.channel) await drain(parts);
    else await render(parts, screen);
  });
  try {
    await sweep(opts.engine, ref, false);
    const locale = opts.locale ?? terminalLocale();
    const words = surfaceWords(locale);
    const turn = { conversation: ref, speaker: localSpeaker(), canManage: OWNER, text: opts.text, signal: controller.signal, locale, onLocale: words.onLocale };
    const result = await render(opts.engine.handle(turn), screen, words.t);
    return result.ok ? 0 : 1;
  } finally {
    detach();
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
  const tty = opts.tty ?? (out as { isTTY?: boolean }).isTTY === true;
  const width = (out as { columns?: number }).columns ?? 80;
  const screen: Screen = { out, err, exportsDir: resolve(opts.exportsDir ?? 'exports'), markdown: tty ? terminalMarkdown(width) : undefined };
  const locale = opts.locale ?? terminalLocale();
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
  let prompted = false;
  const detach = opts.engine.attach('terminal', async (target, parts) => {
    if (target.channel !== ref.channel) {
      await drain(parts);
      return;
    }
    if (prompted) out.write('\n');
    await render(parts, screen);
    if (prompted) rl.prompt(true);
  });
  await sweep(opts.engine, ref, true);
  prompted = true;
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
    const words = surfaceWords(locale);
    const parts = opts.engine.handle({ conversation: ref, speaker, canManage: OWNER, text, signal: current.signal, locale, onLocale: words.onLocale });
    await render(parts, screen, words.t);
    current = undefined;
    rl.prompt();
  }
  detach();
  rl.close();
}
