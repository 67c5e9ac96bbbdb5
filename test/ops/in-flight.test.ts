import { describe, expect, it } from 'vitest';
import { RESTARTING } from '../../src/engine/in-flight.js';
import { FakeBackend } from '../../src/model/fake.js';
import { noopObserver, type Observer } from '../../src/ops/observer.js';
import { channel, collect, makeEngine } from '../support/engine.js';
import { conversationKey } from '../../src/engine/conversation.js';

/** An observer that remembers what it was told about turns. */
function recorder() {
  const turns: Array<{ outcome: string; seconds: number }> = [];
  let inFlight = 0;
  const observer: Observer = {
    ...noopObserver,
    turn: (outcome, seconds) => turns.push({ outcome, seconds }),
    inFlight: (delta) => (inFlight += delta),
  };
  return { observer, turns, inFlight: () => inFlight };
}

/** A model step that writes nothing until `gate` resolves (or the turn is aborted). */
function held() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { step: { parts: ['The fox ', 'waits.'], after: gate }, open };
}

describe('turns in flight', () => {
  it('counts each turn with its outcome, and in flight while it runs', async () => {
    const r = recorder();
    const t = await makeEngine({ observer: r.observer });
    const h = held();
    t.backend.push(h.step);
    const running = t.send('hello');
    await expect.poll(() => t.engine.turns.size).toBe(1);
    expect(r.inFlight()).toBe(1);
    h.open();
    expect((await running).done?.text).toBe('The fox waits.');
    expect((await t.send('/poem')).error?.code).toBe('bad_input');
    expect(r.inFlight()).toBe(0);
    expect(r.turns.map((x) => x.outcome)).toEqual(['done', 'bad_input']);
    expect(r.turns.every((x) => x.seconds >= 0)).toBe(true);
  });

  it('idle() waits for the running turns', async () => {
    const t = await makeEngine();
    const h = held();
    t.backend.push(h.step);
    const running = t.send('hello');
    await expect.poll(() => t.engine.turns.size).toBe(1);
    let idle = false;
    const waiting = t.engine.turns.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    h.open();
    await running;
    await waiting;
    expect(idle).toBe(true);
  });

  it('abort() stops a running turn with the restarting sentence and saves nothing; later turns get it at once', async () => {
    const r = recorder();
    const backend = new FakeBackend();
    const t = await makeEngine({ observer: r.observer, backend });
    backend.push(held().step);
    const running = t.send('hello');
    await expect.poll(() => t.engine.turns.size).toBe(1);
    expect(t.engine.turns.abort()).toBe(1);
    const reply = await running;
    expect(reply.error).toEqual({ type: 'error', code: 'busy', message: RESTARTING });
    expect(await t.store.getMeta(conversationKey(channel))).toBeUndefined();
    const later = await t.send('are you there?');
    expect(later.error?.message).toBe(RESTARTING);
    expect(backend.calls).toHaveLength(1);
    expect(r.turns.map((x) => x.outcome)).toEqual(['restarting', 'restarting']);
    expect(r.inFlight()).toBe(0);
  });

  it('a reply cut off by abort() says so (partial) and is not saved', async () => {
    const t = await makeEngine();
    t.backend.push({ parts: ['Once ', 'upon ', 'a ', 'time'], delayMs: 200 });
    const parts = t.engine.handle({ conversation: channel, speaker: { id: 'u', name: 'U' }, text: 'tell me' });
    expect((await parts.next()).value).toEqual({ type: 'started' });
    const first = await parts.next();
    expect(first.value).toEqual({ type: 'text', text: 'Once ' });
    t.engine.turns.abort();
    const rest = await collect(parts);
    expect(rest.error).toEqual({ type: 'error', code: 'busy', message: RESTARTING, partial: true });
    expect(await t.store.getMeta(conversationKey(channel))).toBeUndefined();
  });
});
