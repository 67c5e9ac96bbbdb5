import { describe, expect, it } from 'vitest';
import { actionRows } from '../../src/adapters/discord/buttons.js';
import { decodeAction, encodeAction } from '../../src/engine/actions.js';
import type { ActionRun, ReplyAction } from '../../src/engine/parts.js';

const run = (command: string, n?: number): ActionRun => ({ command, ...(n === undefined ? {} : { options: { n } }) });
const act = (r: ActionRun, more: Partial<ReplyAction> = {}): ReplyAction => ({ id: encodeAction(r), label: r.command, run: r, ...more });

describe('discord buttons', () => {
  it('puts actions with the same row on one line, rows in order, unrowed last; default styles', () => {
    const rows = actionRows([
      act(run('a')),
      act(run('v', 1), { row: 0, style: 'primary' }),
      act(run('x'), { row: 1, style: 'danger' }),
      act(run('v', 2), { row: 0 }),
    ]);
    expect(rows.map((r) => r.components.map((b) => [b.custom_id, b.style]))).toEqual([
      [
        ['muse:v?n=1', 1],
        ['muse:v?n=2', 2],
      ],
      [['muse:x', 4]],
      [['muse:a', 1]],
    ]);
  });

  it('wraps more than five to a row and stops at five rows', () => {
    const many = Array.from({ length: 30 }, (_, i) => act(run('c', i), { row: 0 }));
    const rows = actionRows(many);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.components.length === 5)).toBe(true);
  });

  it('keeps repeated actions distinct, and each custom_id decodes to its action', () => {
    const rows = actionRows([act(run('v', 1), { label: '‹' }), act(run('v', 1), { label: '›' })]);
    const ids = rows.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(ids).toEqual(['muse:v?n=1', 'muse#2:v?n=1']);
    expect(ids.map(decodeAction)).toEqual([{ command: { name: 'v', options: { n: '1' } } }, { command: { name: 'v', options: { n: '1' } } }]);
  });

  it('refuses an action too long for a custom_id instead of leaving its button out', () => {
    expect(() => actionRows([act(run('ok')), { id: 'long', label: 'Long', run: { command: 'x'.repeat(100) } }])).toThrow(/at most 92/);
  });
});
