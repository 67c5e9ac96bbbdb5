import type { Records } from '../memory/coordination.js';
import type { ConversationStore } from '../memory/types.js';

export type Vote = 'good' | 'bad';

/** One person's 👍/👎 on one of Muse's replies. */
export interface FeedbackRecord {
  /** The conversation's key (conversationKey). */
  conversation: string;
  /** The reply's message id on its platform (Slack: the message ts). */
  message: string;
  /** Who voted (platform user id). */
  user: string;
  vote: Vote;
  /** When the vote was (last) given, epoch ms. */
  at: number;
}

/** The votes a conversation keeps; past this the oldest vote goes (its record too). */
export const MAX_VOTES_KEPT = 5000;

/** A conversation's list of its vote records' keys, oldest first, so forgetting it finds them all. */
type VoteIndex = string[];

/**
 * Feedback on replies, kept in the store's records: one record per reply and person, so a person
 * has one vote per reply and a second click changes it. No model call, nothing else changes.
 * Each conversation also keeps the keys of its votes (by compare-and-set, so clicks on two
 * processes both land), which is how `/memory clear` deletes them.
 */
export class ReplyFeedback {
  constructor(
    private readonly store: Pick<ConversationStore, 'getRecord' | 'setRecord' | 'deleteRecord'>,
    private readonly records: Records,
    private readonly maxVotes = MAX_VOTES_KEPT,
  ) {}

  /** Records (or changes) `user`'s vote on a reply. Throws StoreUnavailableError. */
  async record(conversation: string, message: string, user: string, vote: Vote, at = Date.now()): Promise<FeedbackRecord> {
    const record: FeedbackRecord = { conversation, message, user, vote, at };
    const key = feedbackKey(conversation, message, user);
    let dropped: string[] = [];
    await this.records.update<VoteIndex>(indexKey(conversation), (keys = []) => {
      const next = keys.includes(key) ? keys : [...keys, key];
      dropped = next.slice(0, Math.max(0, next.length - this.maxVotes));
      return next.slice(dropped.length);
    });
    await this.store.setRecord(key, record);
    for (const old of dropped) await this.store.deleteRecord(old);
    return record;
  }

  /** Deletes every vote on the conversation's replies (`/memory clear`). */
  async forget(conversation: string): Promise<void> {
    const keys = (await this.store.getRecord<VoteIndex>(indexKey(conversation))) ?? [];
    for (const key of keys) await this.store.deleteRecord(key);
    await this.store.deleteRecord(indexKey(conversation));
  }

  /** `user`'s vote on a reply, if any. */
  get(conversation: string, message: string, user: string): Promise<FeedbackRecord | undefined> {
    return this.store.getRecord<FeedbackRecord>(feedbackKey(conversation, message, user));
  }
}

function indexKey(conversation: string): string {
  return `feedback-index:${encodeURIComponent(conversation)}`;
}

function feedbackKey(conversation: string, message: string, user: string): string {
  return ['feedback', conversation, message, user].map((p) => encodeURIComponent(p)).join(':');
}
