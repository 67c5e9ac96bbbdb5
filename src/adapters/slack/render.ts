import type { WebClient } from './client.js';
import type { ReplyAction, ReplyFile, ReplyPart } from '../../engine/parts.js';
import type { Logger } from '../../util/log.js';
import { actionBlocks, SECTION_LIMIT, textWithActions } from './blocks.js';
import { escapeSlack } from './escape.js';
import { splitMessage } from '../../text/split.js';
import { finish, held, readReply, WHAT_NEXT, withTrailer, type PlanOptions } from '../shared/reply-plan.js';
import { drawSlackScene, type SlackScenePort } from './scene.js';

/** Where a reply goes. */
export interface ReplyTarget {
  channel: string;
  /** Post in this thread (unset: in the channel). */
  threadTs?: string;
  /** Who asked: the recipient of ephemeral messages (unset for announcements: shown to all). */
  user?: string;
  dm?: boolean;
  /** The message whose button was clicked: a reply starting with 'replace' is shown in it. */
  replaceTs?: string;
}

export interface RenderOptions {
  client: WebClient;
  log: Logger;
  /** Minimum time between edits of a streaming message. */
  throttleMs: number;
  /** Characters per message before the text is split (Slack allows 40,000; ~3,000 reads well). */
  chunkLimit: number;
  /** Slash commands: errors are shown only to the person who asked, unless text was already shown. */
  errorsEphemeral?: boolean;
}

export interface RenderResult {
  outcome: 'done' | 'error';
  /** ts of every message posted in the channel/thread. */
  posted: string[];
  /** The Slack error code of a failed post, e.g. 'not_in_channel'. */
  apiError?: string;
  /** The reply was shown in the clicked message (target.replaceTs) instead of a new one. */
  replaced?: boolean;
  /** The reply plan says the clicked message's buttons are used up (a new public reply has the current ones). */
  retireClicked?: boolean;
}

/** Never ping: Slack must not turn names into mentions, nor unfurl links. */
const QUIET = { link_names: false, unfurl_links: false, unfurl_media: false } as const;

/** How Slack writes the lines under a reply: notices in italics (the error is a message of its own). */
const TRAILER = { error: (s: string) => s, notice: (n: string) => `_${n}_` };

/**
 * Draws the reply plan on Slack: the streamed text is posted at once and then edited
 * (chat.update) at most every `throttleMs`, split over several messages at paragraph or stanza
 * breaks; buttons go under the last message, notices end it, files follow it; a failure ends
 * with one clear sentence in a message of its own; a private part is an ephemeral message,
 * posted as it comes. What goes where is the plan's (src/adapters/shared). Slack API failures
 * are logged and never stop the engine's stream.
 */
export async function renderReply(parts: AsyncIterable<ReplyPart>, target: ReplyTarget, opts: RenderOptions): Promise<RenderResult> {
  const result: RenderResult = { outcome: 'done', posted: [] };
  const post = new Poster(target, opts, result);
  const stream = new StreamedText(post, opts, target.replaceTs);
  const options: PlanOptions = {
    // In a DM (private already) and in an announcement (nobody asked), private parts are shown with the reply.
    privateReplies: !target.dm && !!target.user,
    clicked: !!target.replaceTs,
    privateErrors: !!opts.errorsEphemeral,
  };
  let sentPrivately = 0;
  const state = await readReply(
    parts,
    options,
    async (s) => {
      while (sentPrivately < s.private.length) await post.ephemeral(s.private[sentPrivately++]!);
      stream.update(held(s), s.inPlace);
    },
    (err) => opts.log.warn({ err, channel: target.channel }, 'slack: the reply stream failed'),
  );
  const plan = finish(state);
  result.outcome = plan.ended;
  if (plan.public) {
    const shown = plan.public;
    if (shown.scene) {
      // Cast lines: the lead as streamed, then each line under its character's name (scene.ts).
      await stream.finish(shown.scene.lead.trimEnd(), [], false);
      await drawSlackScene(post.scenePort(shown.notices), shown);
    } else await stream.finish(withTrailer(shown.text, { notices: shown.notices }, TRAILER), shown.actions, shown.inPlace);
    for (const file of shown.files) await post.file(file);
    if (shown.error !== undefined) await post.message(escapeSlack(`:warning: ${shown.error}`));
  } else stream.stop();
  if (plan.private) {
    const rest = withTrailer('', plan.private, TRAILER);
    if (rest) await post.ephemeral(rest);
  }
  if (stream.adopted) result.replaced = true;
  if (plan.retireClicked) result.retireClicked = true;
  return result;
}

/** Slack calls for one reply; failures are logged and remembered, never thrown. */
class Poster {
  constructor(
    private readonly target: ReplyTarget,
    private readonly opts: RenderOptions,
    private readonly result: RenderResult,
  ) {}

  private get where() {
    return { channel: this.target.channel, ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}) };
  }

  async message(text: string, blocks?: ReturnType<typeof textWithActions>): Promise<string | undefined> {
    try {
      const res = await this.opts.client.chat.postMessage({ ...this.where, ...QUIET, text, ...(blocks ? { blocks } : {}) });
      if (res.ts) this.result.posted.push(res.ts);
      return res.ts;
    } catch (err) {
      this.failed(err, 'chat.postMessage');
      return undefined;
    }
  }

  async update(ts: string, text: string, blocks?: ReturnType<typeof textWithActions>): Promise<boolean> {
    try {
      await this.opts.client.chat.update({ channel: this.target.channel, ts, text, ...QUIET, ...(blocks ? { blocks } : {}) });
      return true;
    } catch (err) {
      this.failed(err, 'chat.update');
      return false;
    }
  }

  async remove(ts: string): Promise<void> {
    try {
      await this.opts.client.chat.delete({ channel: this.target.channel, ts });
    } catch (err) {
      this.failed(err, 'chat.delete');
    }
  }

  /** What drawing a scene needs: lines as characters, Muse's messages, the last one with the notices and buttons. */
  scenePort(notices: readonly string[]): SlackScenePort {
    return {
      chunkLimit: this.opts.chunkLimit,
      asCharacter: (line) => this.asCharacter(line),
      message: async (text) => void (await this.message(text)),
      last: async (text, actions) => {
        const whole = withTrailer(text, { notices }, TRAILER);
        if (!whole.trim() && !actions.length) return;
        const chunks = splitMessage(whole.trim() ? whole : WHAT_NEXT, this.opts.chunkLimit).map(escapeSlack);
        for (const [k, chunk] of chunks.entries()) {
          const last = k === chunks.length - 1 && actions.length > 0;
          await this.message(chunk, last && chunk.length <= SECTION_LIMIT ? textWithActions(chunk, actions) : undefined);
        }
      },
    };
  }

  /** A line posted as a story's character (chat:write.customize); false when Slack refused it. */
  private async asCharacter(line: { name: string; avatarUrl?: string; text: string }): Promise<boolean> {
    try {
      const res = await this.opts.client.chat.postMessage({
        ...this.where,
        ...QUIET,
        text: escapeSlack(line.text),
        username: line.name,
        ...(line.avatarUrl ? { icon_url: line.avatarUrl } : {}),
      });
      if (res.ts) this.result.posted.push(res.ts);
      return true;
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      this.opts.log.warn(
        { err, code, channel: this.target.channel },
        'slack: a cast line could not be posted as the character; the rest goes out as one message',
      );
      return false;
    }
  }

  async ephemeral(text: string): Promise<void> {
    try {
      await this.opts.client.chat.postEphemeral({ ...this.where, user: this.target.user ?? '', text: escapeSlack(text) });
    } catch (err) {
      this.failed(err, 'chat.postEphemeral');
    }
  }

  async file(file: ReplyFile): Promise<void> {
    try {
      const what = { filename: file.name, title: file.name, content: file.content };
      const threadTs = this.target.threadTs;
      await this.opts.client.filesUploadV2(
        threadTs ? { ...what, channel_id: this.target.channel, thread_ts: threadTs } : { ...what, channel_id: this.target.channel },
      );
    } catch (err) {
      this.failed(err, 'files.uploadV2');
      // Nothing lost: the file's text is posted instead.
      for (const chunk of splitMessage(file.content, this.opts.chunkLimit)) await this.message(escapeSlack(chunk));
    }
  }

  private failed(err: unknown, method: string): void {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code && !this.result.apiError) this.result.apiError = code;
    this.opts.log.warn({ err, method, code, channel: this.target.channel }, 'slack call failed while replying');
  }
}

/** The streamed main reply: one or more messages, posted then edited, throttled. */
class StreamedText {
  private raw = '';
  private inPlace = false;
  private readonly messages: Array<{ ts: string; text: string; adopted?: boolean }> = [];
  private queue: Promise<void> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSync = 0;

  constructor(
    private readonly post: Poster,
    private readonly opts: RenderOptions,
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
      await this.post.message(WHAT_NEXT, actionBlocks(actions));
    }
  }
}
