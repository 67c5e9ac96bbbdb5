import { ThrottledSync } from './throttle.js';
import type { KnownBlock, WebClient } from './client.js';
import type { ReplyAction } from '../../engine/parts.js';
import type { Logger } from '../../util/log.js';
import { actionBlocks } from './blocks.js';
import { StreamedText } from './edits.js';
import { feedbackBlock } from './feedback-blocks.js';
import { toMarkdownText } from './markdown.js';
import type { Translate } from '../../i18n/index.js';
import type { Poster, ReplyTarget } from './poster.js';

/** Slack's limit for one markdown_text argument, and what Muse puts in one streamed message. */
export const STREAM_LIMIT = 12_000;

export interface NativeStreamOptions {
  client: WebClient;
  log: Logger;
  throttleMs: number;
  chunkLimit: number;
  /** Characters (as sent) per streamed message before the reply goes on in a new one. */
  streamLimit: number;
  /** Muse's own words in the turn's language ("What next?"). */
  t: Translate;
}

/** The end of a streamed reply: the text, what goes under it, and its buttons. */
export interface StreamEnd {
  /** The reply's whole text (the text streamed so far is a prefix of it). */
  text: string;
  /** Lines under the text (notices, the error sentence), already formatted; '' for none. */
  trailer: string;
  actions: readonly ReplyAction[];
}

/**
 * A reply streamed with Slack's own streaming (chat.startStream, chat.appendStream with
 * markdown_text deltas, chat.stopStream with the feedback buttons and Muse's buttons). Deltas are
 * batched: at most one call every `throttleMs`. A message that would pass `streamLimit` is stopped
 * and the reply goes on in a new one. When Slack refuses a call (a channel type, a missing scope,
 * a proxy without the methods), the rest of the reply, from the first character not yet shown,
 * goes through chat.postMessage / chat.update (StreamedText), with a log line.
 */
export class NativeStream {
  private readonly syncs = new ThrottledSync<StreamEnd>(
    () => this.opts.throttleMs,
    (end) => (end ? this.end(end) : this.flush().then(() => undefined)),
  );
  private raw = '';
  /** Characters of `raw` Slack has (in this and earlier messages). */
  private sent = 0;
  /** The open streamed message, and how many characters (as sent) it has. */
  private open: { ts: string; size: number } | undefined;
  private fallback: { from: number; edits: StreamedText } | undefined;

  constructor(
    private readonly target: ReplyTarget & { threadTs: string },
    private readonly post: Poster,
    private readonly opts: NativeStreamOptions,
  ) {}

  /** ts of the streamed messages. */
  readonly streamed: string[] = [];

  /** The plan's text so far: sent now or after the throttle. */
  update(text: string): void {
    if (text === this.raw) return;
    this.raw = text;
    if (this.fallback) return this.fallback.edits.update(text.slice(this.fallback.from), false);
    this.syncs.soon();
  }

  /** Sends the rest and stops the stream with the trailer and the buttons under it. */
  async finish(end: StreamEnd): Promise<void> {
    this.stop();
    this.raw = end.text;
    await this.syncs.now(end);
  }

  stop(): void {
    this.syncs.stop();
  }

  /** Sends `raw` beyond `sent`, in as many messages as the limit needs; false when Slack refused. */
  private async flush(): Promise<boolean> {
    while (!this.fallback && this.sent < this.raw.length) {
      const room = this.opts.streamLimit - (this.open?.size ?? 0);
      const rest = this.raw.slice(this.sent);
      const piece = fitting(rest, room);
      if (!piece) {
        if (!this.open) return this.refused('chat.startStream', new Error('a character does not fit in a message'));
        if (!(await this.close([]))) return false;
        continue;
      }
      const markdown = toMarkdownText(piece);
      if (!(await this.send(markdown))) return false;
      this.sent += piece.length;
      if (piece.length < rest.length && this.open) {
        // The message is full: stop it and go on in a new one.
        if (!(await this.close([]))) return false;
      }
    }
    return !this.fallback;
  }

  private async end(end: StreamEnd): Promise<void> {
    if (!this.fallback && (await this.flush())) {
      let trailer = end.trailer ? toMarkdownText(gapBefore(this.raw) + end.trailer) : '';
      if (this.open && trailer && this.open.size + trailer.length > this.opts.streamLimit) {
        if (await this.close([])) trailer = toMarkdownText(end.trailer);
      }
      // Nothing streamed and nothing to add (a reply of files only): no message.
      if (!this.fallback && !this.open && !trailer) return;
      if (!this.fallback && (!trailer || (await this.send(trailer)))) {
        if (await this.close([...actionBlocks(end.actions), feedbackBlock(this.opts.t)])) return;
        // Everything was shown but the buttons.
        if (end.actions.length) await this.post.message(this.opts.t('surface.whatNext'), actionBlocks(end.actions));
        return;
      }
    }
    // Slack refused a call: what it has not shown goes through chat.postMessage / chat.update.
    await this.fallback!.edits.finish(joined(this.raw.slice(this.fallback!.from), end.trailer), end.actions, false);
  }

  /** Appends to the open message, or starts one with the text. */
  private async send(markdown: string): Promise<boolean> {
    const { channel, threadTs, user, team } = this.target;
    try {
      if (this.open) {
        await this.opts.client.chat.appendStream({ channel, ts: this.open.ts, markdown_text: markdown });
        this.open.size += markdown.length;
      } else {
        const recipient = { ...(user ? { recipient_user_id: user } : {}), ...(team ? { recipient_team_id: team } : {}) };
        const res = await this.opts.client.chat.startStream({ channel, thread_ts: threadTs, ...recipient, markdown_text: markdown });
        if (!res.ts) throw new Error('chat.startStream answered without a ts');
        this.open = { ts: res.ts, size: markdown.length };
        this.streamed.push(res.ts);
      }
      return true;
    } catch (err) {
      return this.refused(this.open ? 'chat.appendStream' : 'chat.startStream', err);
    }
  }

  /** Stops the open message with `blocks` under it. */
  private async close(blocks: KnownBlock[]): Promise<boolean> {
    const open = this.open;
    if (!open) return true;
    this.open = undefined;
    try {
      await this.opts.client.chat.stopStream({ channel: this.target.channel, ts: open.ts, ...(blocks.length ? { blocks } : {}) });
      return true;
    } catch (err) {
      return this.refused('chat.stopStream', err);
    }
  }

  /** Slack refused: the rest of the reply goes through chat.postMessage / chat.update. */
  private async refused(method: string, err: unknown): Promise<false> {
    const code = (err as { data?: { error?: string } }).data?.error;
    this.opts.log.warn(
      { err, method, code, channel: this.target.channel, thread: this.target.threadTs },
      'slack: native streaming refused; this reply goes on with chat.postMessage / chat.update',
    );
    // A message left open is stopped as it is (best effort): everything in it was shown.
    const open = this.open;
    this.open = undefined;
    if (open && method !== 'chat.stopStream') {
      await this.opts.client.chat.stopStream({ channel: this.target.channel, ts: open.ts }).catch((e: unknown) => {
        this.opts.log.warn({ err: e, ts: open.ts }, 'slack: could not stop a refused stream');
      });
    }
    this.fallback = { from: this.sent, edits: new StreamedText(this.post, this.opts, undefined) };
    this.fallback.edits.update(this.raw.slice(this.sent), false);
    return false;
  }
}

/**
 * The longest start of `text` whose markdown fits in `room` characters, cut after a paragraph
 * break, else a line break, else a space, when the whole does not fit.
 */
export function fitting(text: string, room: number): string {
  if (toMarkdownText(text).length <= room) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (toMarkdownText(text.slice(0, mid)).length <= room) lo = mid;
    else hi = mid - 1;
  }
  const head = text.slice(0, lo);
  for (const brk of ['\n\n', '\n', ' ']) {
    const at = head.lastIndexOf(brk);
    if (at > lo / 2) return head.slice(0, at + brk.length);
  }
  return head;
}

/** What goes between a text and the lines under it. */
function gapBefore(text: string): string {
  if (!text.trim()) return '';
  return text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
}

function joined(text: string, trailer: string): string {
  if (!trailer) return text;
  return text.trim() ? `${text.trimEnd()}\n\n${trailer}` : trailer;
}
