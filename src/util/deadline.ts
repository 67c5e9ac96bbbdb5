/**
 * One overall deadline combined with the caller's signal: the one signal a request's work
 * listens to. It ends once, for the first of two reasons: the time ran out ('timeout') or the
 * caller aborted ('aborted', also `cancel()`), and says which. Callers map that to their own
 * errors; this module knows no backend.
 *
 *   const deadline = new Deadline(timeoutMs, request.signal);
 *   try {
 *     await deadline.race(load());           // gives up at the deadline; load() carries on
 *     await fetch(url, { signal: deadline.signal });
 *     await deadline.sleep(backoffMs);        // an abortable pause
 *   } catch (err) {
 *     if (deadline.reason === 'timeout') ...  // else 'aborted', else a failure of its own
 *   } finally {
 *     deadline.dispose();                     // clears the timer and the caller's listener
 *   }
 */

export type DeadlineReason = 'timeout' | 'aborted';

/** What the deadline runs on: the shape of the engine's Clock, so tests can pass a fake one. */
export interface DeadlineTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: DeadlineTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref(); // a deadline alone never keeps the process alive
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The reason the deadline's signal aborts with, and what sleep() and race() reject with. */
export class DeadlineError extends Error {
  readonly reason: DeadlineReason;
  constructor(reason: DeadlineReason) {
    super(reason === 'timeout' ? 'The deadline passed.' : 'The work was cancelled.');
    this.name = 'DeadlineError';
    this.reason = reason;
  }
}

export class Deadline {
  private readonly controller = new AbortController();
  private fired: DeadlineReason | undefined;
  private readonly end: number;
  private readonly timer: unknown;
  private readonly onOuterAbort = () => this.fire('aborted');

  /**
   * @param timeoutMs time from now until 'timeout'; undefined or Infinity: no time limit.
   * @param outer the caller's signal; its abort ends the deadline as 'aborted' (at once if it
   *   already has).
   */
  constructor(
    timeoutMs: number | undefined,
    private readonly outer?: AbortSignal,
    private readonly timers: DeadlineTimers = realTimers,
  ) {
    const limited = timeoutMs !== undefined && Number.isFinite(timeoutMs);
    this.end = limited ? timers.now() + Math.max(0, timeoutMs) : Infinity;
    if (outer?.aborted) this.fire('aborted');
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.timer = limited && !this.fired ? timers.setTimeout(() => this.fire('timeout'), Math.max(0, timeoutMs)) : undefined;
  }

  /** Aborts (with a DeadlineError) when the deadline ends. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why it ended, or undefined while it runs. */
  get reason(): DeadlineReason | undefined {
    return this.fired;
  }

  /** Milliseconds left (Infinity without a time limit; 0 once ended). */
  remainingMs(): number {
    if (this.fired) return 0;
    return Math.max(0, this.end - this.timers.now());
  }

  /** Ends it now as 'aborted' (e.g. the consumer stopped reading). No-op once ended. */
  cancel(): void {
    this.fire('aborted');
  }

  /** Resolves after `ms`, or rejects with the DeadlineError as soon as the deadline ends. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.controller.signal;
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.timers.clearTimeout(handle);
        reject(signal.reason);
      };
      const handle = this.timers.setTimeout(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Settles as `promise` does, or rejects with the DeadlineError as soon as the deadline ends (`promise` carries on). */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(() => {}); // its failure is no longer anyone's concern
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  /** Stops the timer and stops listening to the caller's signal. The reason, if any, stays. */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  private fire(reason: DeadlineReason): void {
    if (this.fired) return;
    this.fired = reason;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    this.controller.abort(new DeadlineError(reason));
  }
}
