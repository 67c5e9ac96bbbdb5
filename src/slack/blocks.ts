import type { KnownBlock } from './client.js';
import type { ReplyAction } from '../engine/parts.js';

/** Action ids of Muse's buttons start with this; the button's value is the command it runs. */
export const ACTION_PREFIX = 'muse:';

/** Slack's limit for a section block's text. */
export const SECTION_LIMIT = 3000;

export function actionsBlock(actions: ReplyAction[]): KnownBlock {
  return {
    type: 'actions',
    block_id: 'muse_actions',
    elements: actions.slice(0, 25).map((a) => ({
      type: 'button',
      action_id: `${ACTION_PREFIX}${a.id}`,
      text: { type: 'plain_text', text: a.label.slice(0, 75) },
      value: a.command.slice(0, 2000),
    })),
  };
}

/** A message's (already escaped) text with buttons under it. */
export function textWithActions(escapedText: string, actions: ReplyAction[]): KnownBlock[] {
  return [{ type: 'section', text: { type: 'mrkdwn', text: escapedText } }, actionsBlock(actions)];
}
