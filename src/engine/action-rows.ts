import type { ReplyAction } from './parts.js';

/** An action's style: its own, else the first button primary and the rest secondary. */
export function actionStyle(action: ReplyAction, index: number): NonNullable<ReplyAction['style']> {
  return action.style ?? (index === 0 ? 'primary' : 'secondary');
}

/**
 * Lays buttons out in lines: the same `row` shares a line (rows in ascending order, buttons
 * without a row after them, each keeping its order), and a line longer than `perLine` wraps.
 * Adapters build their platform's buttons first, then place them with this.
 */
export function linesByRow<T>(buttons: ReadonlyArray<{ row: number | undefined; button: T }>, perLine: number): T[][] {
  const groups = new Map<number, T[]>();
  for (const { row, button } of buttons) {
    const key = row ?? Number.MAX_SAFE_INTEGER;
    const group = groups.get(key) ?? [];
    group.push(button);
    groups.set(key, group);
  }
  const lines: T[][] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const group = groups.get(key)!;
    for (let i = 0; i < group.length; i += perLine) lines.push(group.slice(i, i + perLine));
  }
  return lines;
}
