import type { Observer } from '../ops/observer.js';

/**
 * What the engine counts, for whoever turns it into metrics (/metrics): every method is
 * optional, and a failing observer never disturbs a turn.
 */
export interface EngineObserver {
  /** A conversation was taken: how long its lease took (ms), and whether it was got or stayed busy. */
  leaseWait?(ms: number, outcome: 'acquired' | 'busy'): void;
  /** A lease was lost while held (a renewal found it gone, or a fenced write found it taken). */
  leaseLost?(): void;
  /** A compare-and-set found the stored value changed by someone else: a commit, or a record update that retried. */
  casConflict?(what: 'commit' | 'record'): void;
  /** A platform re-delivery was recognised and dropped (`source`: e.g. 'slack.event'). */
  duplicateSuppressed?(source: string): void;
  /** A scheduled job started this many ms after it was due. */
  schedulerLateness?(ms: number): void;
  /** A turn started (one more in flight). */
  turnStarted?(): void;
  /** A turn ended (one fewer in flight): 'done' or its error code, and how long it took (ms). */
  turnEnded?(outcome: string, ms: number): void;
}

type Counter = keyof EngineObserver;

/** The engine's observers, called in turn; one that throws is skipped and logged. */
export class Observers implements Required<EngineObserver> {
  private readonly list = new Set<EngineObserver>();

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  add(observer: EngineObserver): () => void {
    this.list.add(observer);
    return () => this.list.delete(observer);
  }

  leaseWait(ms: number, outcome: 'acquired' | 'busy'): void {
    this.each('leaseWait', (o) => o.leaseWait?.(ms, outcome));
  }

  leaseLost(): void {
    this.each('leaseLost', (o) => o.leaseLost?.());
  }

  casConflict(what: 'commit' | 'record'): void {
    this.each('casConflict', (o) => o.casConflict?.(what));
  }

  duplicateSuppressed(source: string): void {
    this.each('duplicateSuppressed', (o) => o.duplicateSuppressed?.(source));
  }

  schedulerLateness(ms: number): void {
    this.each('schedulerLateness', (o) => o.schedulerLateness?.(Math.max(0, ms)));
  }

  turnStarted(): void {
    this.each('turnStarted', (o) => o.turnStarted?.());
  }

  turnEnded(outcome: string, ms: number): void {
    this.each('turnEnded', (o) => o.turnEnded?.(outcome, ms));
  }

  private each(name: Counter, call: (observer: EngineObserver) => void): void {
    for (const observer of this.list) {
      if (!observer[name]) continue;
      try {
        call(observer);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}

/** The engine's counts, told to the process's observer (src/ops/observer.ts); TurnsInFlight counts turns. */
export function fromOpsObserver(o: Observer): EngineObserver {
  return {
    leaseWait: (ms) => o.leaseWait(ms),
    leaseLost: () => o.leaseLost(),
    casConflict: () => o.conflict(),
    duplicateSuppressed: (source) => o.duplicate(source),
    schedulerLateness: (ms) => o.lateness(ms),
  };
}
