import type { ReplyAction } from '../../engine/parts.js';
import { actionBlocks, SECTION_LIMIT, textWithActions } from './blocks.js';
import { escapeSlack } from './escape.js';
import type { Poster } from './poster.js';
import { splitMessage } from '../../text/split.js';
import type { Translate } from '../../i18n/index.js';
import { WHAT_NEXT } from '../shared/reply-plan.js';

/** The streamed main reply: one or more messages, posted then edited, throttled. */
export class StreamedText {
  private raw = '';
  private inPlace = false;
  private readonly messages: Array<{ ts: string; text: string; adopted?: boolean }> = [];
  private queue: Promise<void> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSync = 0;

  constructor(
    private readonly post: Poster,
    private readonly opts: { throttleMs: number; chunkLimit: number; t?: Translate },
    /** The clicked message, for a reply the plan shows in place. */
    private readonly replaceTs: string | undefined,
  ) {}

  /** Whether the reply's first message is the clicked one. */
  get adopted(): boolean {
    return !!this.messages[0]?.adopted;
  }

  /** The plan's text so far: synced now or after the throttle. */
  update(text: string, inPlace: boolean): void {
    this.inPlace = inPlace;
    if (text === this.raw) return;
    this.raw = text;
    if (this.timer || this.queued) return;
    const wait = this.lastSync + this.opts.throttleMs - Date.now();
    if (wait <= 0) void this.enqueue();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.enqueue();
      }, wait);
  }

  /** Shows the final text, with buttons under the last message. */
  async finish(text: string, actions: readonly ReplyAction[], inPlace: boolean): Promise<void> {
    this.stop();
    this.raw = text;
    this.inPlace = inPlace;
    await this.enqueue(actions);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue(actions?: readonly ReplyAction[]): Promise<void> {
    this.queued = true;
    this.queue = this.queue.then(() => {
      this.queued = false;
      this.lastSync = Date.now();
      return this.sync(actions);
    });
    return this.queue;
  }

  private async sync(actions?: readonly ReplyAction[]): Promise<void> {
    if (!this.raw.trim()) return; // nothing to show yet (and never blank the clicked message)
    // The reply's first message is the clicked one (edited, not posted).
    if (this.inPlace && this.replaceTs && this.messages.length === 0) this.messages.push({ ts: this.replaceTs, text: '\u0000', adopted: true });
    const chunks = splitMessage(this.raw, this.opts.chunkLimit).map(escapeSlack);
    for (let i = 0; i < chunks.length; i++) {
      const text = chunks[i]!;
      const last = i === chunks.length - 1;
      const have = this.messages[i];
      let blocks = last && actions?.length && text.length <= SECTION_LIMIT ? textWithActions(text, actions) : undefined;
      // The clicked message's old buttons must go: give it blocks of its own.
      if (!blocks && have?.adopted && text.length <= SECTION_LIMIT) blocks = textWithActions(text, []);
      if (have) {
        if (have.text === text && !blocks) continue;
        if (await this.post.update(have.ts, text, blocks)) have.text = text;
        else return;
      } else {
        const ts = await this.post.message(text, blocks);
        if (!ts) return;
        this.messages.push({ ts, text });
      }
    }
    // The text was re-split into fewer messages than before: remove the leftovers.
    while (this.messages.length > chunks.length && !this.messages.at(-1)!.adopted) await this.post.remove(this.messages.pop()!.ts);
    const lastText = chunks[chunks.length - 1];
    if (actions?.length && lastText !== undefined && lastText.length > SECTION_LIMIT) {
      await this.post.message(this.opts.t?.('surface.whatNext') ?? WHAT_NEXT, actionBlocks(actions));
    }
  }
}
