import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/util/lock.js';

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs holders of one key one at a time, in arrival order; other keys do not wait', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const first = await lock.acquire('a');
    const second = lock.acquire('a').then((release) => (order.push('a2'), release));
    const third = lock.acquire('a').then((release) => (order.push('a3'), release));
    const other = await lock.acquire('b');
    order.push('b1');
    await settle();
    expect(order).toEqual(['b1']);
    first();
    (await second)();
    (await third)();
    other();
    expect(order).toEqual(['b1', 'a2', 'a3']);
    expect(lock.size).toBe(0);
  });

  it('a release function works once', async () => {
    const lock = new KeyedLock();
    const first = await lock.acquire('k');
    let got = 0;
    const second = lock.acquire('k').then((r) => (got++, r));
    const third = lock.acquire('k').then((r) => (got++, r));
    first();
    first(); // must not also let the third in
    await settle();
    expect(got).toBe(1);
    (await second)();
    (await third)();
    expect(lock.size).toBe(0);
  });

  it('a waiter whose signal aborts leaves the queue at once with the reason, and the next one moves up', async () => {
    const lock = new KeyedLock();
    const holder = await lock.acquire('k');
    const controller = new AbortController();
    const quitter = lock.acquire('k', controller.signal);
    let behindGotIt = false;
    const behind = lock.acquire('k').then((r) => ((behindGotIt = true), r));
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(quitter).rejects.toBe(reason);
    expect(behindGotIt).toBe(false); // the holder still holds
    holder();
    const release = await behind;
    expect(behindGotIt).toBe(true);
    release();
    expect(lock.size).toBe(0); // the quitter left nothing behind
  });

  it('an already-aborted signal is refused without taking a free lock', async () => {
    const lock = new KeyedLock();
    const reason = new Error('too late');
    await expect(lock.acquire('k', AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(lock.size).toBe(0);
    const release = await lock.acquire('k');
    release();
  });

  it('an abort after the waiter got its turn changes nothing', async () => {
    const lock = new KeyedLock();
    const holder = await lock.acquire('k');
    const controller = new AbortController();
    const waiter = lock.acquire('k', controller.signal);
    holder();
    const release = await waiter;
    controller.abort();
    let next = false;
    const after = lock.acquire('k').then((r) => ((next = true), r));
    await settle();
    expect(next).toBe(false); // the waiter still holds it
    release();
    (await after)();
    expect(lock.size).toBe(0);
  });
});
