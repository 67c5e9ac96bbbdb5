import type { KnownBlock, WebClient } from './client.js';
import type { ReplyFile } from '../../engine/parts.js';
import type { Logger } from '../../util/log.js';
import { toMrkdwn, toSlackMessages } from './markdown.js';
import { actionBlocks } from './blocks.js';
import type { SlackScenePort } from './scene.js';
import type { Translate } from '../../i18n/index.js';
import { withTrailer, type TrailerStyle } from '../common/reply-plan.js';

/** Slack's limit of blocks in one message. */
const MAX_BLOCKS = 50;

/** Where a reply goes. */
export interface ReplyTarget {
  channel: string;
  /** Post in this thread (unset: in the channel). */
  threadTs?: string;
  /** Who asked: the recipient of ephemeral messages (unset for announcements: shown to all). */
  user?: string;
  /** The asker's workspace (chat.startStream's recipient_team_id). */
  team?: string;
  dm?: boolean;
  /** The message whose button was clicked: a reply starting with 'replace' is shown in it. */
  replaceTs?: string;
}

/** What a reply's Slack calls left behind. */
export interface PostResult {
  /** ts of every message posted in the channel/thread. */
  posted: string[];
  /** The Slack error code of a failed post, e.g. 'not_in_channel'. */
  apiError?: string;
}

/** Never ping: Slack must not turn names into mentions, nor unfurl links. */
const QUIET = { link_names: false, unfurl_links: false, unfurl_media: false } as const;

/** Slack calls for one reply; failures are logged and remembered, never thrown. */
export class Poster {
  constructor(
    private readonly target: ReplyTarget,
    private readonly opts: { client: WebClient; log: Logger; chunkLimit: number; t: Translate },
    private readonly result: PostResult,
  ) {}

  private get where() {
    return { channel: this.target.channel, ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}) };
  }

  async message(text: string, blocks?: KnownBlock[]): Promise<string | undefined> {
    try {
      const res = await this.opts.client.chat.postMessage({ ...this.where, ...QUIET, text, ...(blocks ? { blocks } : {}) });
      if (res.ts) this.result.posted.push(res.ts);
      return res.ts;
    } catch (err) {
      this.failed(err, 'chat.postMessage');
      return undefined;
    }
  }

  async update(ts: string, text: string, blocks?: KnownBlock[]): Promise<boolean> {
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
  scenePort(notices: readonly string[], trailer: TrailerStyle): SlackScenePort {
    return {
      asCharacter: (line) => this.asCharacter(line),
      message: async (text) => {
        for (const m of toSlackMessages(text, this.opts.chunkLimit)) await this.message(m.text, m.blocks);
      },
      last: async (text, actions) => {
        const whole = withTrailer(text, { notices }, trailer);
        if (!whole.trim() && !actions.length) return;
        const payloads = toSlackMessages(whole.trim() ? whole : this.opts.t('surface.whatNext'), this.opts.chunkLimit);
        for (const [k, { text: fallback, blocks }] of payloads.entries()) {
          const buttons = k === payloads.length - 1 ? actionBlocks(actions) : [];
          await this.message(fallback, blocks.length + buttons.length <= MAX_BLOCKS ? [...blocks, ...buttons] : blocks);
        }
      },
    };
  }

  /** A line posted as a story's character (chat:write.customize), as markdown blocks; false when Slack refused it. */
  private async asCharacter(line: { name: string; avatarUrl?: string; text: string }): Promise<boolean> {
    try {
      for (const { text, blocks } of toSlackMessages(line.text, this.opts.chunkLimit)) {
        const res = await this.opts.client.chat.postMessage({
          ...this.where,
          ...QUIET,
          text,
          blocks,
          username: line.name,
          ...(line.avatarUrl ? { icon_url: line.avatarUrl } : {}),
        });
        if (res.ts) this.result.posted.push(res.ts);
      }
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
      await this.opts.client.chat.postEphemeral({ ...this.where, user: this.target.user ?? '', text: toMrkdwn(text) });
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
      for (const m of toSlackMessages(file.content, this.opts.chunkLimit)) await this.message(m.text, m.blocks);
    }
  }

  private failed(err: unknown, method: string): void {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code && !this.result.apiError) this.result.apiError = code;
    this.opts.log.warn({ err, method, code, channel: this.target.channel }, 'slack call failed while replying');
  }
}
