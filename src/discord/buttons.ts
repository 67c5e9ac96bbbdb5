import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';
import type { ReplyAction } from '../engine/parts.js';

/** custom_id = prefix + the action's command in text form ('/story continue'). */
export const BUTTON_PREFIX = 'muse:';

/** Buttons for reply actions, five to a row (Discord's limit), at most five rows. */
export function actionRows(actions: readonly ReplyAction[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  const buttons: APIButtonComponentWithCustomId[] = actions
    .filter((a) => (BUTTON_PREFIX + a.command).length <= 100)
    .map((a, i) => ({
      type: ComponentType.Button,
      style: i === 0 ? ButtonStyle.Primary : ButtonStyle.Secondary,
      label: a.label.slice(0, 80),
      custom_id: BUTTON_PREFIX + a.command,
    }));
  const rows: Array<APIActionRowComponent<APIButtonComponentWithCustomId>> = [];
  for (let i = 0; i < buttons.length && rows.length < 5; i += 5) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  return rows;
}

/** The command a button runs, or undefined when the button is not Muse's. */
export function commandFromCustomId(customId: string): string | undefined {
  if (!customId.startsWith(BUTTON_PREFIX)) return undefined;
  const command = customId.slice(BUTTON_PREFIX.length).trim();
  return command.startsWith('/') ? command : undefined;
}
