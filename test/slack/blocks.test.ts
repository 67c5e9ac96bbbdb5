import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/engine/actions.js';
import type { ActionRun, ReplyAction } from '../../src/engine/parts.js';
import { actionBlocks } from '../../src/adapters/slack/blocks.js';

const act = (id: string, run: ActionRun, more: Partial<ReplyAction> = {}): ReplyAction => ({ id, label: id, run, ...more });
type Block = { type: string; block_id: string; elements: Array<{ action_id: string; value: string; style?: string }> };

describe('slack action blocks', () => {
  it('one actions block per row, styles, unique action ids, values that decode to the actions', () => {
    const blocks = actionBlocks([
      act('a', { command: 'a' }),
      act('v', { command: 'v', options: { n: 1 } }, { row: 0 }),
      act('v', { command: 'v', options: { n: 2 } }, { row: 0, style: 'danger' }),
      act('y', { command: 'y', sub: 'z' }, { row: 1, style: 'secondary' }),
    ]) as unknown as Block[];
    expect(blocks.map((b) => b.elements.map((e) => [e.action_id, e.value, e.style ?? '-']))).toEqual([
      [
        ['muse:v', 'muse:v?n=1', '-'],
        ['muse:v#2', 'muse:v?n=2', 'danger'],
      ],
      [['muse:y', 'muse:y.z', '-']],
      [['muse:a', 'muse:a', 'primary']],
    ]);
    expect(new Set(blocks.map((b) => b.block_id)).size).toBe(3);
    expect(decodeAction(blocks[1]!.elements[0]!.value)).toEqual({ command: { name: 'y', sub: 'z' } });
  });

  it('refuses an action too long to encode instead of leaving its button out', () => {
    expect(() => actionBlocks([act('x', { command: 'x', options: { text: 'y'.repeat(100) } })])).toThrow(/at most 92/);
  });

  it('splits a row of more than 25 buttons', () => {
    const blocks = actionBlocks(Array.from({ length: 30 }, (_, i) => act(`c${i}`, { command: 'c', options: { i } }, { row: 0 }))) as unknown as Block[];
    expect(blocks.map((b) => b.elements.length)).toEqual([25, 5]);
  });
});
