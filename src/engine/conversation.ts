import type { ConversationRef } from '../memory/conversation-key.js';

// A conversation's identity and key live beside the stores that are keyed by them (src/memory
// sits below the engine); the engine's vocabulary re-exports them.
export { conversationKey, platformOfKey, type ConversationRef } from '../memory/conversation-key.js';

export interface Speaker {
  /** Platform user id. */
  id: string;
  /** Display name, carried in each turn so the narrator knows who is acting. */
  name: string;
}

/**
 * Whose rules and quotas apply: the Discord server or the Slack workspace, and in a DM (or the
 * terminal) the user. Rate limits, token budgets and imported personas are kept per tenant.
 */
export function tenantOf(ref: ConversationRef, userId: string): string {
  const parts = ref.dm ? [ref.platform, 'user', userId] : [ref.platform, ref.workspace];
  return parts.map((p) => encodeURIComponent(p)).join(':');
}
