import type { Sentences, Translate } from '../i18n/index.js';
import type { ConversationMeta } from '../memory/types.js';
import type { Job } from '../memory/jobs.js';
import type { ConversationRef } from './conversation.js';
import type { ReplyPart } from './parts.js';
import type { PromptSource } from './prompt.js';
import type { ContextSlot } from './reply.js';
import type { Session } from './session.js';
import type { CommandSpec } from './spec.js';

/**
 * A feature plugs into the engine with one object that names everything it owns. The engine
 * derives its commands, turn hooks, prompt, context slots and scheduled jobs from the features
 * it is given (commands/index.ts is the registry) and names none of them itself.
 *
 * A feature keeps its settings in `meta.settings[name]` and types them itself.
 */
export interface Feature {
  /** Unique; also the key of the feature's settings in `meta.settings`. */
  name: string;
  /** Its commands, in the order /help lists them. */
  commands?: readonly CommandSpec[];
  /** Claim plain messages before they become turns (a vote, a quiz answer); asked in registry order. */
  turnHooks?: readonly TurnHook[];
  /** What it adds to the system prompt of each reply (a story's rating and premise). */
  prompt?: PromptSource;
  /**
   * A slot of the reply's context it fills (lore): called once per engine, so whatever the slot
   * caches belongs to that engine.
   */
  context?: () => ContextSlot;
  /** Handlers of the jobs it schedules (a vote window closing), by job name. */
  jobs?: Readonly<Record<string, JobHandler>>;
  /** Its settings outlive a fresh start (a new story or lesson: Session.freshMeta), as a conversation's chosen model does. */
  keepsSettings?: boolean;
  /** Lines for `/memory show` about its settings in this conversation, in the turn's language. */
  describe?(meta: ConversationMeta, t: Translate): string[];
  /**
   * Its own sentences in every language Muse speaks, under its name: a sentence keyed `saved`
   * is `t('<name>.saved')` (src/i18n). Added when an engine is made from the features.
   */
  sentences?: Sentences;
  /**
   * What `/memory clear` deletes besides the turns and the meta: every record the feature keeps
   * for this conversation. Runs after they are gone; `session.meta` is still the meta as it was.
   */
  forget?(session: Session): Promise<void>;
  /**
   * The conversation's content rating, when the feature decides it (a story: its rating, or the
   * channel's age restriction): what moderation blocks. The first feature that answers decides;
   * none: all-ages.
   */
  rating?(ref: ConversationRef, meta: ConversationMeta): 'all-ages' | 'mature' | undefined;
  /** Ways to start, which a platform may suggest (Slack's assistant pane). */
  starters?: readonly Starter[];
}

/** A suggested first message: a short title and the message it sends (English). */
export interface Starter {
  title: string;
  message: string;
  /** Where the feature's sentences hold it in every language: `<words>.title` and `<words>.message`. */
  words?: string;
}

/** A starter in the language of `t` (English where it has no words). */
export function starterIn(starter: Starter, t: Translate): { title: string; message: string } {
  return starter.words ? { title: t(`${starter.words}.title`), message: t(`${starter.words}.message`) } : { title: starter.title, message: starter.message };
}

/** Returns a reply stream when it claims the message, else undefined. Runs under the lock. */
export type TurnHook = (session: Session, text: string) => AsyncIterable<ReplyPart> | undefined;

/**
 * Runs a due job in its conversation, under the conversation's lock, as Muse; what it yields is
 * announced through the platform's outbox. A handler checks the conversation's state itself
 * (the job may have been overtaken: a vote already decided) and then yields nothing.
 */
export type JobHandler = (session: Session, job: Job) => AsyncIterable<ReplyPart>;
