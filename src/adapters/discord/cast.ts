import type { Client, PermissionsBitField, TextBasedChannel, Webhook } from 'discord.js';
import type { Logger } from '../../util/log.js';
import type { CastLinePost, CastPoster } from './scene.js';
import { mayUseWebhooks } from './permissions.js';

/** The name of the webhook Muse creates once per channel for a story's cast. */
export const CAST_WEBHOOK = 'Muse cast';

/** The cast webhooks found or made, by parent channel, per client (a process may run shards). */
const cache = new WeakMap<Client, Map<string, Promise<Webhook>>>();

/**
 * Posts a story's cast lines through the channel's "Muse cast" webhook, each under the
 * character's name and avatar, never pinging anyone. Threads post through their parent channel's
 * webhook with thread_id. The webhook is looked up (owned by Muse, by name) or created once per
 * channel and reused. Not ready without Manage Webhooks or when the webhook cannot be had: the
 * renderer then shows the scene as one message with bold names.
 */
export class WebhookCast implements CastPoster {
  private hook: Webhook | undefined;
  private forget: (() => void) | undefined;

  constructor(
    private readonly channel: TextBasedChannel,
    private readonly appPermissions: Readonly<PermissionsBitField> | null | undefined,
    private readonly log: Logger,
  ) {}

  async ready(): Promise<boolean> {
    if (!mayUseWebhooks(this.appPermissions)) return false;
    const parent = this.channel.isThread() ? this.channel.parent : this.channel;
    if (!parent || !('fetchWebhooks' in parent) || !('createWebhook' in parent)) return false;
    const client = this.channel.client;
    let byChannel = cache.get(client);
    if (!byChannel) cache.set(client, (byChannel = new Map<string, Promise<Webhook>>()));
    let found = byChannel.get(parent.id);
    if (!found) {
      found = (async () => {
        const hooks = await parent.fetchWebhooks();
        const mine = hooks.find((h) => h.name === CAST_WEBHOOK && h.owner?.id === client.user?.id && !!h.token);
        return mine ?? (await parent.createWebhook({ name: CAST_WEBHOOK, reason: "A story's cast speaks through it" }));
      })();
      byChannel.set(parent.id, found);
    }
    const entry = found;
    this.forget = () => {
      if (byChannel.get(parent.id) === entry) byChannel.delete(parent.id);
    };
    try {
      this.hook = await found;
      return true;
    } catch (err) {
      byChannel.delete(parent.id);
      this.log.warn({ err, channel: parent.id }, 'discord: no cast webhook here (Manage Webhooks?); the scene goes out as one message');
      return false;
    }
  }

  async post(line: CastLinePost): Promise<void> {
    if (!this.hook) throw new Error('The cast webhook is not ready.');
    try {
      await this.hook.send({
        content: line.text,
        username: line.name,
        ...(line.avatarUrl ? { avatarURL: line.avatarUrl } : {}),
        ...(this.channel.isThread() ? { threadId: this.channel.id } : {}),
        allowedMentions: { parse: [] },
      });
    } catch (err) {
      // Deleted, or its token no longer valid: the next scene looks it up (or makes it) again.
      this.forget?.();
      throw err;
    }
  }
}

/** A cast poster for replies in `channel` when it is a guild channel or thread (DMs have no webhooks). */
export function castPoster(
  channel: TextBasedChannel | null | undefined,
  appPermissions: Readonly<PermissionsBitField> | null | undefined,
  log: Logger,
): CastPoster | undefined {
  if (!channel || channel.isDMBased()) return undefined;
  return new WebhookCast(channel, appPermissions, log);
}
