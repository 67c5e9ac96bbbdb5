import type { WebClient } from './client.js';
import type { Logger } from '../../util/log.js';
import { RecentKeys } from './dedupe.js';

/**
 * Which channel threads Muse takes part in, so that later messages in a thread continue the
 * conversation without a new mention. Threads Muse joins are remembered here; after a restart,
 * a thread counts as Muse's when its parent or an earlier reply is Muse's (conversations.replies).
 */
export class MuseThreads {
  private readonly known = new RecentKeys(20_000);
  private readonly notMuse = new Map<string, number>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly negativeTtlMs = 60_000,
  ) {}

  join(channel: string, threadTs: string): void {
    this.known.add(`${channel}:${threadTs}`);
    this.notMuse.delete(`${channel}:${threadTs}`);
  }

  async isMuseThread(channel: string, threadTs: string, bot: { userId?: string; botId?: string }): Promise<boolean> {
    const key = `${channel}:${threadTs}`;
    if (this.known.has(key)) return true;
    const until = this.notMuse.get(key);
    if (until !== undefined && until > Date.now()) return false;
    try {
      const res = await this.client.conversations.replies({ channel, ts: threadTs, limit: 200 });
      const ours = (res.messages ?? []).some((m) => (bot.botId && m.bot_id === bot.botId) || (bot.userId && m.user === bot.userId));
      if (ours) {
        this.join(channel, threadTs);
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
