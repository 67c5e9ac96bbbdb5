import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';
import { actionStyle, linesByRow } from '../../engine/action-rows.js';
import { encodeAction } from '../../engine/actions.js';
import type { ReplyAction } from '../../engine/parts.js';

/** Discord's limits: 5 buttons per row, 5 rows per message (custom_id: see engine/actions.ts). */
const PER_ROW = 5;
const MAX_ROWS = 5;

const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/**
 * Buttons for reply actions. Actions with the same `row` share a line (rows in ascending order,
 * actions without a row after them); a line longer than five buttons wraps; at most five lines.
 * Style: the action's own, else the first button primary and the rest secondary. The custom_id
 * is the encoded action (a repeat under the same message gets the next copy number).
 */
export function actionRows(actions: readonly ReplyAction[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  const seen = new Set<string>();
  const buttons: Array<{ row: number | undefined; button: APIButtonComponentWithCustomId }> = [];
  actions.forEach((a, i) => {
    let customId = encodeAction(a.run);
    for (let n = 2; seen.has(customId); n++) customId = encodeAction(a.run, n);
    seen.add(customId);
    buttons.push({
      row: a.row,
      button: { type: ComponentType.Button, style: STYLES[actionStyle(a, i)], label: a.label.slice(0, 80) || '…', custom_id: customId },
    });
  });
  return linesByRow(buttons, PER_ROW)
    .slice(0, MAX_ROWS)
    .map((components) => ({ type: ComponentType.ActionRow, components }));
}
