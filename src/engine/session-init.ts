import type { Locale } from '../i18n/index.js';
import type { ConversationMeta } from '../memory/types.js';
import type { JobData } from '../memory/jobs.js';
import type { ImageInput } from '../model/types.js';
import type { ConversationRef, Speaker } from './conversation.js';
import type { Held } from './hold.js';
import type { ReplyPart } from './parts.js';

/** A conversation as the engine hands it to a command: taken (`held`), its memory loaded. */
export interface SessionInit {
  key: string;
  ref: ConversationRef;
  speaker: Speaker;
  meta: ConversationMeta;
  held: Held;
  /** Files that came with the command (an imported file). */
  attachments?: readonly Attachment[] | undefined;
  /** Pictures that came with the turn (checked: see checkImages), for its reply's model. */
  images?: readonly ImageInput[] | undefined;
  /** Whether the speaker may manage the conversation (see managerCheck); default: no, unless in a DM. */
  manager?: (() => Promise<boolean>) | undefined;
  /** The language of Muse's own sentences to this speaker (see Engine.localeOf); default English. */
  locale?: Locale | undefined;
  /** The platform's language for the speaker (without their /language). */
  platformLocale?: Locale | undefined;
  /** Sends a part ahead of what the command yields next (the 'started' of its first model call). */
  emit?: ((part: ReplyPart) => void) | undefined;
}

/** The engine's durable schedule, as a session uses it (see Engine.schedule). */
export interface Scheduling {
  schedule(ref: ConversationRef, name: string, dueAt: number, data?: JobData): Promise<void>;
  cancel(ref: ConversationRef, name: string): Promise<void>;
  cancelAll(ref: ConversationRef): Promise<void>;
}

/** A file sent with a message or command. */
export interface Attachment {
  name: string;
  contentType?: string;
  data: Uint8Array;
}
