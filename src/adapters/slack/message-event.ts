import type { SlackFile } from './files.js';

/** The fields Muse reads from Slack message-like events (message, app_mention). */
export interface SlackMessage {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  /** Files shared with the message (subtype file_share). */
  files?: SlackFile[];
}

/** Subtypes that are still a person writing (others are edits, joins, deletions, ...). */
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** A post written by a person, not by Muse or any other bot (bots never answer bots). */
export function isFromPerson(m: SlackMessage, botUserId: string | undefined): m is SlackMessage & { user: string } {
  return PERSON_SUBTYPES.has(m.subtype) && !m.bot_id && !!m.user && m.user !== botUserId;
}

/** `{ files }` for a turn when the message carries files, else nothing. */
export function filesOf(m: SlackMessage): { files?: SlackFile[] } {
  return m.files?.length ? { files: m.files } : {};
}
