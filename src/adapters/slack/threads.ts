import type { SharedState } from '../../engine/shared.js';
import type { WebClient } from './client.js';
import type { Logger } from '../../util/log.js';
import { RecentKeys } from './dedupe.js';

/**
 * Which channel threads Muse takes part in, so that later messages in a thread continue the
 * conversation without a new mention. A thread Muse joins is marked in the store at once (before
 * the reply), so every process knows it, even when a follow-up reaches another process before
 * Muse has answered; a thread from before that (or when the store cannot say) counts as Muse's
 * when its parent or an earlier reply is Muse's (conversations.replies).
 */
export class MuseThreads {
  private readonly known = new RecentKeys(20_000);
  private readonly notMuse = new Map<string, number>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly shared: Pick<SharedState, 'mark' | 'marked'>,
    private readonly negativeTtlMs = 60_000,
  ) {}

  async join(team: string, channel: string, threadTs: string): Promise<void> {
    const key = `${channel}:${threadTs}`;
    this.known.add(key);
    this.notMuse.delete(key);
    await this.shared.mark(markOf(team, channel, threadTs)).catch((err: unknown) => {
      this.log.warn({ err, channel, thread: threadTs }, 'could not store that Muse is in this thread; other processes find it from its replies');
    });
  }

  async isMuseThread(team: string, channel: string, threadTs: string, bot: { userId?: string; botId?: string }): Promise<boolean> {
    const key = `${channel}:${threadTs}`;
    if (this.known.has(key)) return true;
    // Never cached as "no": another process may join the thread at any moment.
    const marked = await this.shared.marked(markOf(team, channel, threadTs)).catch((err: unknown) => {
      this.log.warn({ err, channel, thread: threadTs }, 'could not read whether Muse is in this thread; asking Slack');
      return false;
    });
    if (marked) {
      this.known.add(key);
      return true;
    }
    const until = this.notMuse.get(key);
    if (until !== undefined && until > Date.now()) return false;
    try {
      const res = await this.client.conversations.replies({ channel, ts: threadTs, limit: 200 });
      const ours = (res.messages ?? []).some((m) => (bot.botId && m.bot_id === bot.botId) || (bot.userId && m.user === bot.userId));
      if (ours) {
        await this.join(team, channel, threadTs);
        return true;
      }
    } catch (err) {
      this.log.warn({ err, channel, thread: threadTs }, 'slack conversations.replies failed; treating the thread as not Muse’s');
    }
    if (this.notMuse.size > 5000) this.notMuse.clear();
    this.notMuse.set(key, Date.now() + this.negativeTtlMs);
    return false;
  }
}

function markOf(team: string, channel: string, threadTs: string): string {
  return ['slack-thread', team, channel, threadTs].map((p) => encodeURIComponent(p)).join(':');
}
