import { english } from '../i18n/index.js';
import type { Observer } from '../ops/observer.js';
import type { ReplyPart } from './parts.js';
import type { RunContext } from './plan.js';

/** What a turn stopped by a shutdown ends with (nothing of it was saved: it ended in an error). */
export const RESTARTING = english('engine.restarting');

type ErrorPart = Extract<ReplyPart, { type: 'error' }>;

const RESTARTING_TEXT = { key: 'engine.restarting' };

/**
 * The turns the engine is running: counted for the observer (in flight, outcome, seconds), and
 * stoppable all at once for a shutdown. `abort()` aborts every running turn's signal (the model
 * call ends, nothing is saved) and answers the turns that start afterwards at once; a turn that
 * was stopped so ends with the RESTARTING sentence instead of its own error.
 */
export class TurnsInFlight {
  private readonly running = new Set<AbortController>();
  private waiters: Array<() => void> = [];
  private aborted = false;

  constructor(
    private readonly observer: Pick<Observer, 'turn' | 'inFlight'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.running.size;
  }

  /** Runs `run` as one turn with a signal that also aborts on abort(); yields its parts. */
  async *track(ctx: RunContext, run: (ctx: RunContext) => AsyncIterable<ReplyPart>): AsyncGenerator<ReplyPart> {
    if (this.aborted) {
      this.observer.turn('restarting', 0);
      yield { type: 'error', code: 'busy', message: RESTARTING, text: RESTARTING_TEXT };
      return;
    }
    const controller = new AbortController();
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, controller.signal]) : controller.signal;
    const started = this.now();
    let outcome = 'abandoned';
    this.running.add(controller);
    this.observer.inFlight(1);
    try {
      for await (const part of run({ ...ctx, signal })) {
        if (part.type === 'error' && controller.signal.aborted) {
          outcome = 'restarting';
          yield restarting(part);
          continue;
        }
        if (part.type === 'done') outcome = 'done';
        else if (part.type === 'error') outcome = part.code;
        yield part;
      }
    } finally {
      this.running.delete(controller);
      this.observer.inFlight(-1);
      this.observer.turn(outcome, Math.max(0, this.now() - started) / 1000);
      if (this.running.size === 0) this.wake();
    }
  }

  /** Resolves when no turn is running. */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops every running turn and every later one (shutdown); returns how many were running. */
  abort(): number {
    this.aborted = true;
    const count = this.running.size;
    for (const controller of this.running) controller.abort(new Error('Muse is shutting down.'));
    return count;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function restarting(part: ErrorPart): ErrorPart {
  return { type: 'error', code: 'busy', message: RESTARTING, text: RESTARTING_TEXT, ...(part.partial ? { partial: true } : {}) };
}
