import { ThrottledSync } from './throttle.js';
import type { ReplyAction } from '../../engine/parts.js';
import { actionBlocks } from './blocks.js';
import { toSlackMessages } from './markdown.js';
import type { Poster } from './poster.js';
import type { Translate } from '../../i18n/index.js';

/** Slack's limit of blocks in a message. */
const MAX_BLOCKS = 50;

/** The streamed main reply: one or more messages, posted then edited, throttled. */
export class StreamedText {
  private readonly syncs = new ThrottledSync<readonly ReplyAction[]>(
    () => this.opts.throttleMs,
    (actions) => this.sync(actions),
  );
  private raw = '';
  private inPlace = false;
  private readonly messages: Array<{ ts: string; shown: string; adopted?: boolean }> = [];

  constructor(
    private readonly post: Poster,
    private readonly opts: { throttleMs: number; chunkLimit: number; t: Translate },
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
    this.syncs.soon();
  }

  /** Shows the final text, with buttons under the last message. */
  async finish(text: string, actions: readonly ReplyAction[], inPlace: boolean): Promise<void> {
    this.stop();
    this.raw = text;
    this.inPlace = inPlace;
    await this.syncs.now(actions);
  }

  stop(): void {
    this.syncs.stop();
  }

  private async sync(actions?: readonly ReplyAction[]): Promise<void> {
    if (!this.raw.trim()) return; // nothing to show yet (and never blank the clicked message)
    // The reply's first message is the clicked one (edited, not posted).
    if (this.inPlace && this.replaceTs && this.messages.length === 0) this.messages.push({ ts: this.replaceTs, shown: '\u0000', adopted: true });
    const payloads = toSlackMessages(this.raw, this.opts.chunkLimit);
    let buttonsApart = false;
    for (let i = 0; i < payloads.length; i++) {
      const { text } = payloads[i]!;
      let blocks = payloads[i]!.blocks;
      if (i === payloads.length - 1 && actions?.length) {
        const buttons = actionBlocks(actions);
        if (blocks.length + buttons.length <= MAX_BLOCKS) blocks = [...blocks, ...buttons];
        else buttonsApart = true;
      }
      const shown = JSON.stringify([text, blocks]);
      const have = this.messages[i];
      if (have) {
        // (The clicked message is always written: its blocks replace its old buttons.)
        if (have.shown === shown) continue;
        if (await this.post.update(have.ts, text, blocks)) have.shown = shown;
        else return;
      } else {
        const ts = await this.post.message(text, blocks);
        if (!ts) return;
        this.messages.push({ ts, shown });
      }
    }
    // The text was re-split into fewer messages than before: remove the leftovers.
    while (this.messages.length > payloads.length && !this.messages.at(-1)!.adopted) await this.post.remove(this.messages.pop()!.ts);
    if (buttonsApart && actions?.length) await this.post.message(this.opts.t('surface.whatNext'), actionBlocks(actions));
  }
}
