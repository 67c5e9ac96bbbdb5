import { castPoster } from './cast.js';
import type { Message } from 'discord.js';
import { UserFacingError } from '../../engine/parts.js';
import { refusal } from '../../engine/plan.js';
import type { Attachment } from '../../engine/session.js';
import { downloadImages } from './attachments.js';
import type { DiscordContext } from './context.js';
import { conversationOf, displayName } from './conversation.js';
import { canManage } from './permissions.js';
import { renderReply } from './render.js';
import { ChannelSurface } from './surfaces.js';
import { surfaceWords } from '../common/words.js';

/**
 * Messages: every DM is a turn; in a server, a message that mentions Muse (or replies to one of
 * Muse's messages) is a turn in that channel or thread, answered as a reply to it, once.
 */
export async function handleMessage(message: Message, ctx: DiscordContext): Promise<void> {
  const me = message.client.user.id;
  if (message.author.bot || message.system || message.author.id === me) return;
  const dm = !message.guildId;
  let text = message.content;
  if (!dm) {
    const mentioned = message.mentions.users.has(me) || message.mentions.roles.some((r) => r.tags?.botId === me);
    const repliedToMuse = message.mentions.repliedUser?.id === me;
    if (!mentioned && !repliedToMuse) return;
    text = text
      .replace(new RegExp(`<@!?${me}>`, 'g'), ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
  const channel = message.channel;
  if (!channel.isSendable()) return;
  const conversation = conversationOf(message.channelId, message.guildId, channel);
  try {
    // Exactly once across every process on the store (a replay after a resume, two gateways).
    if (!(await ctx.engine.shared.firstDelivery('discord.message', message.id))) {
      ctx.log.info({ messageId: message.id, channel: conversation.channel }, 'discord delivered a message already handled; ignored');
      return;
    }
    // A message has no locale of its own: the server's preferred one (a DM's: English until /language).
    const locale = message.guild?.preferredLocale;
    const words = surfaceWords(locale);
    const who = {
      conversation,
      speaker: { id: message.author.id, name: displayName(message.author, message.member) },
      canManage: () => manageOf(message, dm, ctx),
      locale,
      onLocale: words.onLocale,
    };
    const files = [...message.attachments.values()];
    let plan = ctx.engine.plan({ text }, { withImages: files.length > 0 });
    let attachments: Attachment[] = [];
    // Pictures with a turn go to its model; they are checked and fetched before the turn runs.
    if (plan.kind === 'turn' && files.length) {
      try {
        attachments = await downloadImages(files, ctx);
      } catch (err) {
        if (!(err instanceof UserFacingError)) throw err;
        ctx.log.warn({ err, cause: (err as { cause?: unknown }).cause, channel: conversation.channel }, 'discord: a picture could not be taken');
        plan = refusal(err);
      }
    }
    const parts = ctx.engine.run(plan, { ...who, ...(attachments.length ? { attachments } : {}) });
    const surface = new ChannelSurface(channel, dm ? undefined : message);
    // A message event carries no app permissions: the webhook call itself tells (and falls back).
    surface.cast = castPoster(channel, undefined, ctx.log);
    await renderReply(parts, surface, {
      ...ctx.render,
      t: words.t,
      placeholder: true,
      onError: (err, what) => ctx.log.warn({ err, channel: conversation.channel }, `discord: ${what}`),
    });
  } catch (err) {
    ctx.log.error({ err, channel: conversation.channel }, 'discord message failed');
  }
}

function manageOf(message: Message, dm: boolean, ctx: DiscordContext): boolean {
  if (dm) return true;
  const member = message.member;
  let permissions;
  try {
    permissions = member && message.channel && !message.channel.isDMBased() ? member.permissionsIn(message.channel) : null;
  } catch {
    permissions = null;
  }
  const roleNames = member ? member.roles.cache.map((r) => r.name) : [];
  return canManage({ dm, permissions, roleNames, managerRole: ctx.managerRole });
}
