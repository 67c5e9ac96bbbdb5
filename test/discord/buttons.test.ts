import { describe, expect, it } from 'vitest';
import { actionRows, commandFromCustomId } from '../../src/adapters/discord/buttons.js';
import type { ReplyAction } from '../../src/engine/parts.js';

const act = (command: string, more: Partial<ReplyAction> = {}): ReplyAction => ({ id: command, label: command, command, ...more });

describe('discord buttons', () => {
  it('puts actions with the same row on one line, rows in order, unrowed last; default styles', () => {
    const rows = actionRows([act('/a'), act('/v 1', { row: 0, style: 'primary' }), act('/x', { row: 1, style: 'danger' }), act('/v 2', { row: 0 })]);
    expect(rows.map((r) => r.components.map((b) => [b.custom_id, b.style]))).toEqual([
      [['muse:/v 1', 1], ['muse:/v 2', 2]],
      [['muse:/x', 4]],
      [['muse:/a', 1]],
    ]);
  });

  it('wraps more than five to a row and stops at five rows', () => {
    const many = Array.from({ length: 30 }, (_, i) => act(`/c ${i}`, { row: 0 }));
    const rows = actionRows(many);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.components.length === 5)).toBe(true);
  });

  it('leaves out a command too long for a custom_id and keeps repeated commands distinct', () => {
    const rows = actionRows([act(`/${'x'.repeat(100)}`), act('/v n:1', { label: '‹' }), act('/v n:1', { label: '›' })]);
    const ids = rows.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(ids).toEqual(['muse:/v n:1', 'muse#2:/v n:1']);
    expect(ids.map(commandFromCustomId)).toEqual(['/v n:1', '/v n:1']);
    expect(commandFromCustomId('other:/v')).toBeUndefined();
    expect(commandFromCustomId('muse:not a command')).toBeUndefined();
  });
});
