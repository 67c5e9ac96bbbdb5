import { describe, expect, it } from 'vitest';
import { Deadline, DeadlineError } from '../../src/util/deadline.js';
import { FakeClock } from '../support/fake-clock.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Deadline', () => {
  it('ends as a timeout when its time runs out: the signal aborts with a DeadlineError', () => {
    const clock = new FakeClock();
    const d = new Deadline(1000, undefined, clock);
    clock.advance(400);
    expect(d.remainingMs()).toBe(600);
    expect(d.reason).toBeUndefined();
    clock.advance(600);
    expect(d.reason).toBe('timeout');
    expect(d.signal.aborted).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(DeadlineError);
    expect((d.signal.reason as DeadlineError).reason).toBe('timeout');
    expect(d.remainingMs()).toBe(0);
  });

  it("ends as 'aborted' when the caller aborts, and the first reason stays", () => {
    const clock = new FakeClock();
    const caller = new AbortController();
    const d = new Deadline(1000, caller.signal, clock);
    caller.abort();
    expect(d.reason).toBe('aborted');
    expect(clock.pending).toBe(0); // the timer is gone
    clock.advance(2000);
    expect(d.reason).toBe('aborted');

    const late = new AbortController();
    const t = new Deadline(10, late.signal, clock);
    clock.advance(10);
    late.abort();
    expect(t.reason).toBe('timeout');
  });

  it("an already-aborted caller signal ends it at once; cancel() ends it as 'aborted'", () => {
    const clock = new FakeClock();
    const d = new Deadline(1000, AbortSignal.abort(), clock);
    expect(d.reason).toBe('aborted');
    expect(d.signal.aborted).toBe(true);
    expect(clock.pending).toBe(0);

    const c = new Deadline(1000, undefined, clock);
    c.cancel();
    expect(c.reason).toBe('aborted');
  });

  it('without a time limit only the caller ends it', () => {
    const clock = new FakeClock();
    const caller = new AbortController();
    const d = new Deadline(undefined, caller.signal, clock);
    expect(clock.pending).toBe(0);
    expect(d.remainingMs()).toBe(Infinity);
    caller.abort();
    expect(d.reason).toBe('aborted');
  });

  it('sleep resolves after its time, and rejects with the DeadlineError as soon as the deadline ends', async () => {
    const clock = new FakeClock();
    const d = new Deadline(1000, undefined, clock);
    const short = d.sleep(100);
    clock.advance(100);
    await short;
    const long = d.sleep(5000);
    clock.advance(900);
    const err = await rejection(long);
    expect(err).toBeInstanceOf(DeadlineError);
    expect((err as DeadlineError).reason).toBe('timeout');
    expect(clock.pending).toBe(0);
    expect(await rejection(d.sleep(1))).toBe(d.signal.reason);
  });

  it('race settles as the promise does, or rejects at the end of the deadline', async () => {
    const clock = new FakeClock();
    const d = new Deadline(1000, undefined, clock);
    expect(await d.race(Promise.resolve(7))).toBe(7);
    const boom = new Error('boom');
    expect(await rejection(d.race(Promise.reject(boom)))).toBe(boom);

    let finish!: (v: string) => void;
    const slow = new Promise<string>((resolve) => (finish = resolve));
    const raced = d.race(slow);
    d.cancel();
    const err = await rejection(raced);
    expect((err as DeadlineError).reason).toBe('aborted');
    finish('late'); // the promise itself carries on
    expect(await slow).toBe('late');
    expect(await rejection(d.race(Promise.reject(new Error('ignored'))))).toBe(d.signal.reason);
  });

  it('dispose stops the timer and the caller listener, and keeps the reason', () => {
    const clock = new FakeClock();
    const caller = new AbortController();
    const d = new Deadline(1000, caller.signal, clock);
    d.dispose();
    expect(clock.pending).toBe(0);
    caller.abort();
    clock.advance(2000);
    expect(d.reason).toBeUndefined();
    expect(d.signal.aborted).toBe(false);

    const ended = new Deadline(5, undefined, clock);
    clock.advance(5);
    ended.dispose();
    expect(ended.reason).toBe('timeout');
  });
});
