import type { WebClient } from './client.js';
import type { Logger } from '../../util/log.js';

interface CachedUser {
  name: string;
  admin: boolean;
  /** The user's Slack locale ('zh-CN', 'en-US'), when users.info gave one. */
  locale: string | undefined;
  until: number;
}

const USER_TTL_MS = 10 * 60_000;

/**
 * Who people are: display names for turns (users.info, cached for a few minutes; a failed lookup
 * gives the user id) and whether someone may manage a channel's conversation (workspace
 * admin/owner, or a member of the configured user group). Rights are looked up afresh each time
 * a command needs them, so a right taken away counts at once; a lookup that fails means no.
 */
export class SlackUsers {
  private readonly users = new Map<string, CachedUser>();
  private groupIdFound: string | undefined;
  private localeFailureLogged = false;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    /** A user group id (S0123…) or handle (muse-admins) whose members may manage. */
    private readonly managerGroup?: string,
  ) {}

  async name(userId: string): Promise<string> {
    return (await this.lookup(userId))?.name ?? userId;
  }

  /**
   * The user's Slack locale (users.info with include_locale, cached like the name); a lookup that
   * fails means none (English), and says so in the log once.
   */
  async locale(userId: string): Promise<string | undefined> {
    const user = await this.lookup(userId);
    if (!user && !this.localeFailureLogged) {
      this.localeFailureLogged = true;
      this.log.warn({ user: userId }, "slack: a user's locale could not be looked up; Muse answers in English until it can");
    }
    return user?.locale;
  }

  /** A name already known, without a lookup (for rewriting mentions in text). */
  cachedName(userId: string): string | undefined {
    return this.users.get(userId)?.name;
  }

  async canManage(userId: string): Promise<boolean> {
    if ((await this.fetch(userId))?.admin) return true;
    if (!this.managerGroup) return false;
    return (await this.groupMembers()).has(userId);
  }

  private async lookup(userId: string): Promise<CachedUser | undefined> {
    const hit = this.users.get(userId);
    if (hit && hit.until > Date.now()) return hit;
    return (await this.fetch(userId)) ?? hit;
  }

  /** users.info now (the answer is cached for names); undefined when it failed. */
  private async fetch(userId: string): Promise<CachedUser | undefined> {
    try {
      const res = await this.client.users.info({ user: userId, include_locale: true });
      const u = res.user;
      const name = u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || userId;
      const entry = { name, admin: !!(u?.is_admin || u?.is_owner || u?.is_primary_owner), locale: u?.locale, until: Date.now() + USER_TTL_MS };
      if (this.users.size > 5000) this.users.clear();
      this.users.set(userId, entry);
      return entry;
    } catch (err) {
      this.log.warn({ err, user: userId }, 'slack users.info failed');
      return undefined;
    }
  }

  /** The manager group's members now; nobody when the lookup fails. */
  private async groupMembers(): Promise<Set<string>> {
    try {
      const id = await this.groupId();
      const res = id ? await this.client.usergroups.users.list({ usergroup: id }) : undefined;
      return new Set(res?.users ?? []);
    } catch (err) {
      this.log.warn({ err, group: this.managerGroup }, 'slack usergroups.users.list failed');
      return new Set();
    }
  }

  /** The group's id (a handle is resolved once; ids do not change). */
  private async groupId(): Promise<string | undefined> {
    const wanted = this.managerGroup!.replace(/^@/, '');
    if (/^S[A-Z0-9]{2,}$/.test(wanted)) return wanted;
    if (this.groupIdFound) return this.groupIdFound;
    const res = await this.client.usergroups.list({});
    const found = res.usergroups?.find((g) => g.handle === wanted || g.name === wanted);
    if (!found) this.log.warn({ group: wanted }, 'the Slack manager user group was not found');
    this.groupIdFound = found?.id;
    return found?.id;
  }
}
