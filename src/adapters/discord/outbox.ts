import type { Client } from 'discord.js';
import type { Outbox } from '../../engine/engine.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { DiscordContext } from './context.js';
import { castPoster } from './cast.js';
import { renderReply } from './render.js';
import { ChannelSurface } from './surfaces.js';

/**
 * Where Muse's unasked messages (a vote closing, the next beat) go on Discord: the channel,
 * thread or DM in the conversation's `channel`, rendered like any reply (streamed edits,
 * splitting, buttons, files, no pings). The parts are always read to the end, so the work
 * behind them runs and the conversation's lock is released even when Discord cannot be reached.
 */
export function discordOutbox(client: Client, ctx: DiscordContext): Outbox {
  return async (ref, parts) => {
    const channel = await client.channels.fetch(ref.channel).catch((err: unknown) => {
      ctx.log.warn({ err, channel: ref.channel }, 'discord: could not open the channel of an announcement');
      return null;
    });
    if (!channel?.isSendable()) {
      ctx.log.warn({ channel: ref.channel }, 'discord: Muse cannot post in the channel of an announcement; it runs unseen');
      await drain(parts);
      return;
    }
    // Nobody waits for an announcement: one with nothing to show posts nothing.
    const surface = new ChannelSurface(channel);
    surface.cast = castPoster(channel, undefined, ctx.log);
    await renderReply(parts, surface, {
      ...ctx.render,
      onError: (err, what) => ctx.log.warn({ err, channel: ref.channel }, `discord announcement: ${what}`),
    });
  };
}

async function drain(parts: AsyncIterable<ReplyPart>): Promise<void> {
  for await (const part of parts) void part;
}
