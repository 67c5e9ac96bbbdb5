import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';
import { actionStyle, linesByRow } from '../../engine/action-rows.js';
import type { ReplyAction } from '../../engine/parts.js';

/**
 * custom_id = prefix + the action's command in text form ('muse:/story continue'); a second
 * button with the same command gets 'muse#2:' (Discord wants custom_ids unique in a message).
 */
export const BUTTON_PREFIX = 'muse:';
const CUSTOM_ID = /^muse(?:#\d+)?:(.*)$/s;

/** Discord's limits: 5 buttons per row, 5 rows per message, custom_id up to 100 characters. */
const PER_ROW = 5;
const MAX_ROWS = 5;
const MAX_CUSTOM_ID = 100;

const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/**
 * Buttons for reply actions. Actions with the same `row` share a line (rows in ascending order,
 * actions without a row after them); a line longer than five buttons wraps; at most five lines.
 * Style: the action's own, else the first button primary and the rest secondary. A button whose
 * custom_id would be too long is left out (a cut command would run something else).
 */
export function actionRows(actions: readonly ReplyAction[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  const seen = new Set<string>();
  const buttons: Array<{ row: number | undefined; button: APIButtonComponentWithCustomId }> = [];
  actions.forEach((a, i) => {
    let customId = BUTTON_PREFIX + a.command;
    for (let n = 2; seen.has(customId); n++) customId = `muse#${n}:${a.command}`;
    if (customId.length > MAX_CUSTOM_ID) return;
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

/** The command a button runs, or undefined when the button is not Muse's. */
export function commandFromCustomId(customId: string): string | undefined {
  const command = CUSTOM_ID.exec(customId)?.[1]?.trim();
  if (command === undefined) return undefined;
  return command.startsWith('/') ? command : undefined;
}
