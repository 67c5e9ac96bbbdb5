import { ChannelType, ThreadAutoArchiveDuration, type AnyThreadChannel, type ChatInputCommandInteraction } from 'discord.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { DiscordContext } from './context.js';
import { mayCreateThreads } from './permissions.js';

/** A public thread named `name`, when the channel and Muse's permissions allow one. */
export async function openThread(
  interaction: ChatInputCommandInteraction,
  name: string | undefined,
  ctx: DiscordContext,
): Promise<AnyThreadChannel | undefined> {
  const channel = interaction.channel;
  if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) return undefined;
  if (!mayCreateThreads(interaction.appPermissions)) return undefined;
  const title = (name ?? '').replace(/\s+/g, ' ').trim();
  if (!title) return undefined;
  try {
    return await channel.threads.create({
      name: title.length > 100 ? `${title.slice(0, 99)}…` : title,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: `/${interaction.commandName} used by ${interaction.user.username}`,
    });
  } catch (err) {
    ctx.log.warn({ err, channel: channel.id }, 'could not open a thread; answering in the channel');
    return undefined;
  }
}

/**
 * How a run in a new thread begins: `refused` when its first part is an error (a limit, the
 * budget, moderation of the input or a feature's refusal came before anything else), else the
 * run's parts, the first one included.
 */
export async function howItStarts(parts: AsyncIterable<ReplyPart>): Promise<{ refused?: ReplyPart; parts: AsyncIterable<ReplyPart> }> {
  const it = parts[Symbol.asyncIterator]();
  const first = await it.next();
  if (!first.done && first.value.type === 'error') {
    await it.return?.();
    return { refused: first.value, parts: (async function* () {})() };
  }
  return {
    parts: (async function* () {
      // A reader that stops early (at 'done') must end the run too: its finally releases the conversation.
      try {
        if (first.done) return;
        yield first.value;
        for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
      } finally {
        await it.return?.();
      }
    })(),
  };
}

/**
 * Takes back a thread opened for a run that was refused before it began: deleted where Muse may
 * (Manage Threads), else archived, so no empty thread stays in the channel's list.
 */
export async function withdrawThread(thread: AnyThreadChannel, ctx: DiscordContext): Promise<void> {
  try {
    await thread.delete('the command was refused before it began');
    return;
  } catch (err) {
    ctx.log.debug({ err, thread: thread.id }, 'could not delete the refused thread; archiving it');
  }
  await thread.setArchived(true, 'the command was refused before it began').catch((err: unknown) => {
    ctx.log.warn({ err, thread: thread.id }, 'could not archive the refused thread');
  });
}
