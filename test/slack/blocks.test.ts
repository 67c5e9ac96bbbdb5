import { describe, expect, it } from 'vitest';
import type { ReplyAction } from '../../src/engine/parts.js';
import { actionBlocks } from '../../src/adapters/slack/blocks.js';

const act = (id: string, command: string, more: Partial<ReplyAction> = {}): ReplyAction => ({ id, label: id, command, ...more });
type Block = { type: string; block_id: string; elements: Array<{ action_id: string; value: string; style?: string }> };

describe('slack action blocks', () => {
  it('one actions block per row, styles, unique action ids, overlong values left out', () => {
    const blocks = actionBlocks([
      act('a', '/a'),
      act('v', '/v 1', { row: 0 }),
      act('v', '/v 2', { row: 0, style: 'danger' }),
      act('x', `/${'x'.repeat(2000)}`, { row: 1 }),
      act('y', '/y', { row: 1, style: 'secondary' }),
    ]) as unknown as Block[];
    expect(blocks.map((b) => b.elements.map((e) => [e.action_id, e.value, e.style ?? '-']))).toEqual([
      [['muse:v', '/v 1', '-'], ['muse:v#2', '/v 2', 'danger']],
      [['muse:y', '/y', '-']],
      [['muse:a', '/a', 'primary']],
    ]);
    expect(new Set(blocks.map((b) => b.block_id)).size).toBe(3);
  });

  it('splits a row of more than 25 buttons', () => {
    const blocks = actionBlocks(Array.from({ length: 30 }, (_, i) => act(`c${i}`, `/c ${i}`, { row: 0 }))) as unknown as Block[];
    expect(blocks.map((b) => b.elements.length)).toEqual([25, 5]);
  });
});
