import type { ConversationRef } from './conversation.js';
import type { Localized } from '../i18n/index.js';
import { UserFacingError } from './parts.js';

/** An adapter's answer to "may this speaker manage this conversation?" (asked lazily). */
export type CanManage = () => boolean | Promise<boolean>;

/**
 * Who may manage a conversation (change its persona, wipe its state, remove other people's
 * lore), decided in one place and failing closed:
 * - in a DM (the terminal is one) the speaker may;
 * - elsewhere, whoever the adapter's check says; no check given means no.
 * The check is asked at most once, and only when something needs the answer (it may cost a
 * platform API call). A check that fails makes the command fail (logged), never a yes.
 */
export function managerCheck(ref: ConversationRef, canManage: CanManage | undefined): () => Promise<boolean> {
  if (ref.dm) return () => Promise.resolve(true);
  if (!canManage) return () => Promise.resolve(false);
  let answer: Promise<boolean> | undefined;
  return () => {
    answer ??= Promise.resolve()
      .then(canManage)
      .then((yes) => yes === true);
    return answer;
  };
}

/**
 * The sentence for someone who may not do `what` ("use /persona use") in a shared channel, and
 * what they can do instead; each by key (in the speaker's language) or as English text.
 */
export function forbidden(what: string | Localized, instead?: string | Localized): UserFacingError {
  if (instead) return UserFacingError.of('forbidden', 'manager.forbiddenInstead', { what, instead });
  return UserFacingError.of('forbidden', 'manager.forbidden', { what });
}
