import type { ReplyAction, ReplyFile, ReplyPart } from '../../engine/parts.js';
import { openFenceAt, splitMessage, splitOnce } from '../../text/split.js';

/** One message as the renderer wants it shown; a surface turns it into a platform payload. */
export interface OutgoingMessage {
  content: string;
  /** Buttons (only on the last message, once the reply is complete). */
  actions?: ReplyAction[];
  /** Attachments (only on the last message, once the reply is complete). */
  files?: ReplyFile[];
}

/** Where a reply is shown: an interaction's reply and follow-ups, or messages in a channel. */
export interface Surface {
  /** Creates message number `index` (0 first), or edits it when it already exists. */
  put(index: number, message: OutgoingMessage): Promise<void>;
  /** Shows a refusal or a private note to the speaker alone where the platform can. */
  whisper(text: string): Promise<void>;
  /**
   * The reply takes the place of the message whose button was clicked: from now on message 0
   * is that message (anything already shown for this reply is removed). Unset: posted as usual.
   */
  replace?(): Promise<void>;
  /** A private note to the speaker beside a public reply (nothing removed). */
  aside?(text: string): Promise<void>;
}

export interface RenderOptions {
  /** Characters per message (Discord: 2000). */
  limit?: number;
  /** Least time between two edits while streaming, in ms (default 1000). */
  editIntervalMs?: number;
  /** Show the "writing…" marker at once, before any text (channel messages have no "thinking"). */
  placeholder?: boolean;
  /** Show the marker only when nothing has come after this long (button clicks: most answer at once). */
  placeholderAfterMs?: number;
  /** Post nothing at all for a reply with nothing to show (announcements), instead of "Done.". */
  silentWhenEmpty?: boolean;
  onError?: (err: unknown, what: string) => void;
}

export interface RenderOutcome {
  /** How the reply ended. */
  ended: 'done' | 'error' | 'whisper';
  /** Messages shown. */
  messages: number;
}

export const WRITING_MARKER = '✍️ *writing…*';
const INTERNAL = 'Something went wrong while Muse was replying; the details are in the log.';

/**
 * Renders the engine's stream of reply parts: edits at most once per interval with a visible
 * "writing…" marker, continues in further messages past the limit (cut at paragraph or stanza
 * breaks, code blocks intact), adds buttons and files at the end, and always finishes the
 * message: an error ends it with the engine's clear sentence, never a stuck "thinking".
 */
export function renderReply(parts: AsyncIterable<ReplyPart>, surface: Surface, options: RenderOptions = {}): Promise<RenderOutcome> {
  return new Renderer(surface, options).run(parts);
}

class Renderer {
  private readonly limit: number;
  private readonly interval: number;
  private readonly committed: string[] = [];
  private readonly shown: string[] = [];
  private buffer = '';
  private whispered = '';
  private readonly notices: string[] = [];
  private readonly files: ReplyFile[] = [];
  private actions: ReplyAction[] = [];
  private timer: NodeJS.Timeout | undefined;
  private placeholderTimer: NodeJS.Timeout | undefined;
  private painting: Promise<void> = Promise.resolve();
  private busy = false;
  private dirty = false;
  private closed = false;
  private lastPaint = -Infinity;

  constructor(
    private readonly surface: Surface,
    private readonly options: RenderOptions,
  ) {
    this.limit = options.limit ?? 2000;
    this.interval = options.editIntervalMs ?? 1000;
  }

  async run(parts: AsyncIterable<ReplyPart>): Promise<RenderOutcome> {
    let end: Extract<ReplyPart, { type: 'done' | 'error' }> | undefined;
    if (this.options.placeholder) this.schedule();
    else if (this.options.placeholderAfterMs !== undefined) {
      this.placeholderTimer = setTimeout(() => {
        this.placeholderTimer = undefined;
        this.schedule();
      }, this.options.placeholderAfterMs);
    }
    try {
      for await (const part of parts) {
        if (part.type === 'text') this.buffer += part.text;
        else if (part.type === 'message') {
          if (part.ephemeral) this.whispered = join(this.whispered, part.text);
          else this.buffer = join(this.buffer, part.text);
        } else if (part.type === 'notice') this.notices.push(part.text);
        else if (part.type === 'file') this.files.push(part.file);
        else if (part.type === 'actions') this.actions = part.actions;
        else if (part.type === 'replace') {
          await this.takePlace();
          continue;
        } else {
          end = part;
          break;
        }
        if (part.type === 'text' || (part.type === 'message' && !part.ephemeral)) this.schedule();
      }
    } catch (err) {
      this.options.onError?.(err, 'reply stream failed');
      end = { type: 'error', code: 'internal', message: INTERNAL };
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.placeholderTimer) clearTimeout(this.placeholderTimer);
    this.timer = undefined;
    this.placeholderTimer = undefined;
    await this.painting;

    const nothingShown = !this.buffer.trim() && this.committed.length === 0;
    if (end?.type === 'error') {
      this.actions = [];
      if (nothingShown && (end.ephemeral || end.code === 'forbidden' || end.code === 'bad_input')) {
        await this.safely(() => this.whisperAll(`⚠️ ${end.message}`), 'whisper failed');
        return { ended: 'whisper', messages: 0 };
      }
      this.buffer = nothingShown ? `⚠️ ${end.message}` : `${this.buffer.trimEnd()}\n\n⚠️ ${end.message}`;
    } else if (nothingShown && this.whispered) {
      await this.safely(() => this.whisperAll(this.whispered), 'whisper failed');
      return { ended: 'whisper', messages: 0 };
    } else if (nothingShown) {
      if (this.options.silentWhenEmpty && !this.files.length && !this.actions.length && !this.notices.length) return { ended: 'done', messages: 0 };
      this.buffer = 'Done.';
    }
    // A private note that came with a public reply: to the speaker alone where possible, else shown.
    const aside = !nothingShown && this.whispered ? this.whispered : '';
    if (aside && !this.surface.aside) this.buffer = join(this.buffer, aside);
    for (const notice of this.notices) this.buffer = `${this.buffer.trimEnd()}\n-# ${notice}`;
    // The final edit takes the "writing…" marker away: try it twice before giving up.
    await this.safely(() => this.paint(true).catch(() => this.paint(true)), 'final edit failed');
    if (aside && this.surface.aside) {
      for (const chunk of splitMessage(aside, this.limit)) await this.safely(() => this.surface.aside!(chunk), 'private note failed');
    }
    return { ended: end?.type === 'error' ? 'error' : 'done', messages: this.shown.length };
  }

  /** A private answer, split like any reply: the first part as the whisper, the rest after it. */
  private async whisperAll(text: string): Promise<void> {
    const [first = '', ...rest] = splitMessage(text, this.limit);
    await this.surface.whisper(first);
    for (const [i, chunk] of rest.entries()) {
      if (this.surface.aside) await this.surface.aside(chunk);
      else await this.surface.put(i + 1, { content: chunk });
    }
  }

  /** A 'replace' part before anything of the reply: show it in the clicked message. */
  private async takePlace(): Promise<void> {
    if (!this.surface.replace || this.committed.length || this.buffer || this.files.length) return;
    if (this.placeholderTimer) clearTimeout(this.placeholderTimer);
    if (this.timer) clearTimeout(this.timer);
    this.placeholderTimer = undefined;
    this.timer = undefined;
    await this.painting;
    await this.safely(() => this.surface.replace!(), 'could not replace the clicked message');
    this.shown.length = 0;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer || this.busy) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(0, this.lastPaint + this.interval - Date.now());
    this.timer = setTimeout(() => this.tick(), wait);
  }

  private tick(): void {
    this.timer = undefined;
    this.busy = true;
    this.lastPaint = Date.now();
    this.painting = this.safely(() => this.paint(false), 'edit failed').finally(() => {
      this.busy = false;
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
    });
  }

  /** Brings the messages up to date: final pieces, then the open one with the marker. */
  private async paint(final: boolean): Promise<void> {
    const room = final ? this.limit : this.limit - WRITING_MARKER.length - 6;
    while (this.buffer.length > room) {
      const { head, tail } = splitOnce(this.buffer, room);
      this.committed.push(head);
      this.buffer = tail;
    }
    const desired = [...this.committed];
    if (final) {
      if (this.buffer.trim() || desired.length === 0) desired.push(this.buffer);
    } else if (this.buffer) {
      const fence = openFenceAt(this.buffer, this.buffer.length) ? '\n```' : '';
      desired.push(`${this.buffer}${fence}\n\n${WRITING_MARKER}`);
    } else if (desired.length === 0) {
      desired.push(WRITING_MARKER);
    }
    for (let i = 0; i < desired.length; i++) {
      const last = final && i === desired.length - 1;
      const content = desired[i]!;
      if (content === this.shown[i] && !(last && (this.actions.length || this.files.length))) continue;
      const message: OutgoingMessage = { content };
      if (last && this.actions.length) message.actions = this.actions;
      if (last && this.files.length) message.files = this.files;
      await this.surface.put(i, message);
      this.shown[i] = content;
    }
  }

  private async safely(fn: () => Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.options.onError?.(err, what);
    }
  }
}

function join(a: string, b: string): string {
  return a ? `${a.trimEnd()}\n\n${b}` : b;
}
