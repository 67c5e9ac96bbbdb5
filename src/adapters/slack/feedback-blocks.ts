import { english, type Translate } from '../../i18n/index.js';
import type { KnownBlock } from './client.js';

/** The action id of the 👍/👎 under a streamed reply (not under ACTION_PREFIX: no engine action). */
export const FEEDBACK_ACTION = 'muse_feedback';

/** Slack's feedback buttons (a context_actions block) under a streamed reply; values 'good' and 'bad'. */
export function feedbackBlock(t: Translate = english): KnownBlock {
  return {
    type: 'context_actions',
    block_id: 'muse_feedback',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: FEEDBACK_ACTION,
        positive_button: { text: { type: 'plain_text', text: '👍' }, value: 'good', accessibility_label: t('slack.goodReply') },
        negative_button: { text: { type: 'plain_text', text: '👎' }, value: 'bad', accessibility_label: t('slack.badReply') },
      },
    ],
  };
}
