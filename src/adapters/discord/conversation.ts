import type { Channel, GuildMember, User } from 'discord.js';
import type { APIInteractionGuildMember } from 'discord.js';
import type { ConversationRef } from '../../engine/conversation.js';

/** A channel, thread or DM as the engine's conversation: the thread is its own channel. */
export function conversationOf(channelId: string, guildId: string | null, channel: Channel | null): ConversationRef {
  const dm = !guildId;
  const ref: ConversationRef = { platform: 'discord', workspace: guildId ?? '@me', channel: channelId };
  if (dm) ref.dm = true;
  if (channel && ageRestricted(channel)) ref.ageRestricted = true;
  return ref;
}

function ageRestricted(channel: Channel): boolean {
  if ('nsfw' in channel && channel.nsfw) return true;
  if (channel.isThread()) {
    const parent = channel.parent;
    return !!(parent && 'nsfw' in parent && parent.nsfw);
  }
  return false;
}

/** The name people see: server nickname, else global display name, else username. */
export function displayName(user: User, member?: GuildMember | APIInteractionGuildMember | null): string {
  if (member && 'displayName' in member) return member.displayName;
  if (member && 'nick' in member && member.nick) return member.nick;
  return user.displayName;
}
