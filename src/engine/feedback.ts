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

/**
 * Feedback on replies, kept in the store's records: one record per reply and person, so a person
 * has one vote per reply and a second click changes it. No model call, nothing else changes.
 */
export class ReplyFeedback {
  constructor(private readonly store: Pick<ConversationStore, 'getRecord' | 'setRecord'>) {}

  /** Records (or changes) `user`'s vote on a reply. Throws StoreUnavailableError. */
  async record(conversation: string, message: string, user: string, vote: Vote, at = Date.now()): Promise<FeedbackRecord> {
    const record: FeedbackRecord = { conversation, message, user, vote, at };
    await this.store.setRecord(feedbackKey(conversation, message, user), record);
    return record;
  }

  /** `user`'s vote on a reply, if any. */
  get(conversation: string, message: string, user: string): Promise<FeedbackRecord | undefined> {
    return this.store.getRecord<FeedbackRecord>(feedbackKey(conversation, message, user));
  }
}

function feedbackKey(conversation: string, message: string, user: string): string {
  return ['feedback', conversation, message, user].map((p) => encodeURIComponent(p)).join(':');
}
