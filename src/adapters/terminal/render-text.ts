import type { ReplyAction } from '../../engine/parts.js';

/** How the terminal shows buttons: the commands to type. */
export function actionsLine(actions: ReplyAction[]): string {
  return `[${actions.map((a) => `${a.label}: ${a.command}`).join(' · ')}]`;
}
