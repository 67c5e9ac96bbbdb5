import type { Button, KnownBlock } from './client.js';
import { actionStyle, linesByRow } from '../../engine/action-rows.js';
import { encodeAction } from '../../engine/actions.js';
import type { ReplyAction } from '../../engine/parts.js';

/** Action ids of Muse's buttons start with this; the button's value is its encoded action (engine/actions.ts). */
export const ACTION_PREFIX = 'muse:';

/** Slack's limit: 25 elements per actions block. */
const PER_BLOCK = 25;

/**
 * Buttons as actions blocks: actions with the same `row` share a block (rows in ascending order,
 * actions without a row after them). Styles: 'primary' and 'danger' as Slack's, 'secondary' (and
 * unset, except the first button, which is primary) as Slack's default. Each value is the encoded
 * action, as on Discord; action ids are unique within the message, as Slack requires.
 */
export function actionBlocks(actions: readonly ReplyAction[]): KnownBlock[] {
  const used = new Set<string>();
  const buttons: Array<{ row: number | undefined; button: Button }> = [];
  actions.forEach((a, i) => {
    let actionId = `${ACTION_PREFIX}${a.id}`.slice(0, 250);
    for (let n = 2; used.has(actionId); n++) actionId = `${ACTION_PREFIX}${a.id}`.slice(0, 240) + `#${n}`;
    used.add(actionId);
    const style = actionStyle(a, i);
    buttons.push({
      row: a.row,
      button: {
        type: 'button',
        action_id: actionId,
        text: { type: 'plain_text', text: a.label.slice(0, 75) || '…' },
        value: encodeAction(a.run),
        ...(style === 'secondary' ? {} : { style }),
      },
    });
  });
  return linesByRow(buttons, PER_BLOCK).map((elements, n) => ({ type: 'actions', block_id: `muse_actions_${n}`, elements }));
}
