/** Where a turn happens, independent of platform. */
export interface ConversationRef {
  platform: 'discord' | 'slack' | 'terminal' | (string & {});
  /** Guild id, Slack team id, or 'local' for the terminal. */
  workspace: string;
  /** Channel id (for a DM, the DM channel id). */
  channel: string;
  /** Thread id when the conversation is a thread (Discord threads are channels: leave unset). */
  thread?: string;
  /** True for direct messages. */
  dm?: boolean;
  /** Channel is marked age-restricted (Discord NSFW); stories stay all-ages otherwise. */
  ageRestricted?: boolean;
}

/** The key a conversation's memory, jobs and leases are stored under. */
export function conversationKey(ref: ConversationRef): string {
  const parts = [ref.platform, ref.workspace, ref.channel];
  if (ref.thread) parts.push(ref.thread);
  return parts.map((p) => encodeURIComponent(p)).join(':');
}

/** The platform a conversation key belongs to (its first part). */
export function platformOfKey(key: string): string {
  const end = key.indexOf(':');
  return decodeURIComponent(end < 0 ? key : key.slice(0, end));
}
