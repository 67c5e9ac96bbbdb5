import type { ConversationRef } from '../../engine/conversation.js';
import { translator, type Translate } from '../../i18n/index.js';
import type { SlackDeps } from './deps.js';

/**
 * Muse's own words to one Slack user outside a turn (a feedback click, the assistant pane, a
 * reply that could not be posted): their /language setting, else their Slack locale.
 */
export async function wordsFor(deps: Pick<SlackDeps, 'engine' | 'users'>, conversation: ConversationRef, userId: string): Promise<Translate> {
  const locale = await deps.users.locale(userId);
  return translator(await deps.engine.localeOf({ conversation, speaker: { id: userId, name: userId }, locale }));
}
