/**
 * Channel webhooks for the fake Discord, as Discord's REST has them: list and create on a
 * channel (both need Manage Webhooks: 403 Missing Permissions otherwise), and execute with
 * `wait` and `thread_id` (a thread of the webhook's channel). A message posted through one has
 * the webhook's id as its author id, the `username` and `avatar_url` given (kept on the stored
 * message for tests) and the `allowed_mentions` of the call.
 */
export interface FakeWebhook {
  id: string;
  type: 1;
  guild_id?: string;
  channel_id: string;
  name: string;
  avatar: null;
  token: string;
  application_id: string;
  user: unknown;
}

export interface WebhookHost {
  appId: string;
  bot: unknown;
  channels: Map<string, any>;
  snowflake(): string;
  /** Stores a message in a channel and returns it as Discord would. */
  post(channelId: string, fields: Record<string, any>): Record<string, any>;
}

type Out = { status?: number; json?: unknown } | undefined;

const MISSING = { status: 403, json: { message: 'Missing Permissions', code: 50013 } };

export class FakeWebhooks {
  readonly hooks = new Map<string, FakeWebhook>();
  /** Whether Muse has Manage Webhooks in the guild's channels (false: 403 on list and create). */
  allowed = true;
  /** Executions fail with this status (a webhook error) while set. */
  failExecute: number | undefined;

  constructor(private readonly host: WebhookHost) {}

  /** The messages' route, or undefined when the path is not a channel webhook's. */
  route(method: string, path: string, query: URLSearchParams, body: any): Out {
    let m = /^\/channels\/(\d+)\/webhooks$/.exec(path);
    if (m) {
      const channel = this.host.channels.get(m[1]!);
      if (!channel) return { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      if (channel.type === 11 || channel.type === 12) return { status: 400, json: { message: 'Cannot execute action on this channel type', code: 50024 } };
      if (!this.allowed) return MISSING;
      if (method === 'GET') return { json: [...this.hooks.values()].filter((h) => h.channel_id === channel.id) };
      if (method === 'POST') {
        const name = typeof body?.name === 'string' ? body.name : '';
        if (!name || name.length > 80 || /clyde|discord/i.test(name)) return { status: 400, json: { message: 'Invalid Form Body', code: 50035 } };
        const hook: FakeWebhook = {
          id: this.host.snowflake(),
          type: 1,
          ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
          channel_id: channel.id,
          name,
          avatar: null,
          token: `hook-${this.host.snowflake()}`,
          application_id: this.host.appId,
          user: this.host.bot,
        };
        this.hooks.set(hook.id, hook);
        return { json: hook };
      }
      return undefined;
    }
    m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
    const hook = m ? this.hooks.get(m[1]!) : undefined;
    if (!m || !hook || method !== 'POST') return undefined;
    if (hook.token !== m[2]) return { status: 401, json: { message: 'Invalid Webhook Token', code: 50027 } };
    if (this.failExecute) return { status: this.failExecute, json: { message: 'Internal Server Error', code: 0 } };
    const username = body?.username ?? hook.name;
    if (typeof username !== 'string' || username.length > 80 || /clyde|discord|@|#|:|```/i.test(username)) {
      return { status: 400, json: { message: 'Invalid Form Body', code: 50035 } };
    }
    let channelId = hook.channel_id;
    const threadId = query.get('thread_id');
    if (threadId) {
      const thread = this.host.channels.get(threadId);
      if (!thread || thread.parent_id !== hook.channel_id) return { status: 400, json: { message: 'Unknown Channel', code: 10003 } };
      channelId = threadId;
    }
    const msg = this.host.post(channelId, {
      content: body?.content ?? '',
      author: { id: hook.id, username, discriminator: '0000', avatar: null, bot: true, global_name: null },
      webhook_id: hook.id,
      avatar_url: body?.avatar_url,
      allowed_mentions: body?.allowed_mentions,
    });
    return query.get('wait') === 'true' ? { json: msg } : { status: 204 };
  }
}
