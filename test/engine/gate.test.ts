import { describe, expect, it } from 'vitest';
import { BUSY, TurnGate } from '../../src/engine/gate.js';
import type { ReplyPart } from '../../src/engine/parts.js';

/** A turn that runs until released, noting when it starts. */
function turn(log: string[], name: string, releases: Map<string, () => void>) {
  return async function* (): AsyncGenerator<ReplyPart> {
    log.push(name);
    await new Promise<void>((resolve) => releases.set(name, resolve));
    yield { type: 'done', text: name };
  };
}

async function drain(parts: AsyncIterable<ReplyPart>): Promise<ReplyPart[]> {
  const out: ReplyPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the engine gate (backpressure)', () => {
  it('runs at most maxTurns at once, a conversation one turn at a time, the rest in arrival order', async () => {
    const gate = new TurnGate({ maxTurns: 2, queuePerConversation: 8, queuePerProcess: 256 });
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const runs = [
      ['a', 'a1'],
      ['a', 'a2'],
      ['b', 'b1'],
      ['c', 'c1'],
    ].map(([key, name]) => drain(gate.through(key!, turn(started, name!, releases))));
    await tick();
    // a2 waits behind a1 without holding a slot, so b1 takes the second one.
    expect(started).toEqual(['a1', 'b1']);
    expect(gate.waiting).toBe(2);
    releases.get('a1')!();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    releases.get('b1')!();
    await tick();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    releases.get('c1')!();
    releases.get('a2')!();
    const ends = await Promise.all(runs);
    expect(ends.map((parts) => parts.at(-1))).toEqual(['a1', 'a2', 'b1', 'c1'].map((text) => ({ type: 'done', text })));
    expect(gate.active).toBe(0);
  });

  it('beyond the queue of a conversation or of the process, answers busy at once (private) and never runs the turn', async () => {
    const gate = new TurnGate({ maxTurns: 1, queuePerConversation: 1, queuePerProcess: 2 });
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const first = drain(gate.through('a', turn(started, 'a1', releases)));
    const queued = drain(gate.through('a', turn(started, 'a2', releases)));
    // The conversation's queue (1) is full.
    expect(await drain(gate.through('a', turn(started, 'a3', releases)))).toEqual([{ type: 'error', code: 'busy', message: BUSY, ephemeral: true }]);
    const other = drain(gate.through('b', turn(started, 'b1', releases)));
    // The process's queue (2) is full.
    expect((await drain(gate.through('c', turn(started, 'c1', releases))))[0]).toMatchObject({ code: 'busy' });
    await tick();
    expect(started).toEqual(['a1']);
    releases.get('a1')!();
    await tick();
    // b1 waited for the slot while a2 still waited for a1: b1 goes first.
    releases.get('b1')!();
    await tick();
    releases.get('a2')!();
    await Promise.all([first, queued, other]);
    expect(started).toEqual(['a1', 'b1', 'a2']);
    expect(gate.waiting).toBe(0);
  });
});
