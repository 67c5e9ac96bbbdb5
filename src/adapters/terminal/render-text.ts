import type { ReplyAction } from '../../engine/parts.js';
import { commandLine } from '../../engine/text-command.js';

/** How the terminal shows buttons: the commands to type. */
export function actionsLine(actions: readonly ReplyAction[]): string {
  return `[${actions.map((a) => `${a.label}: ${commandLine(a.run)}`).join(' · ')}]`;
}
