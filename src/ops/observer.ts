/**
 * What Muse reports about itself while it runs: the one small interface the engine, the adapters
 * and the store's coordination call, so none of them knows about Prometheus. `src/ops/metrics.ts`
 * turns these calls into `muse_…` metrics; `noopObserver` is the default everywhere.
 *
 * Calls are cheap and never throw (an observer that fails is a bug in the observer, not a reason
 * to fail a turn). Labels are low-cardinality words, never user, channel or workspace ids.
 *
 *   observer.inFlight(+1); … observer.inFlight(-1); observer.turn('done', 1.8);
 *   observer.leaseWait(12);                  // ms spent waiting for a conversation's lease
 *   observer.leaseLost();                    // a turn lost its lease and was abandoned
 *   observer.conflict();                     // a compare-and-set found someone else's write
 *   observer.duplicate('slack.event');       // a re-delivery that was not answered again
 *   observer.lateness(250);                  // a scheduled job ran this many ms after its due time
 *   observer.decision('rate_limited', { scope: 'user' });   // a refusal or flag (src/safety, src/limits)
 *
 * This file imports nothing, so any layer (src/memory included) may depend on it.
 */

/**
 * How a turn ended: 'done', or the error code of its end part ('bad_input', 'forbidden',
 * 'model', 'store', 'busy', 'internal'), or 'restarting' (stopped by a shutdown), or
 * 'abandoned' (the adapter stopped reading before the end).
 */
export type TurnOutcome = string;

export interface Observer {
  /** A turn ended after `seconds`, with `outcome`. */
  turn(outcome: TurnOutcome, seconds: number): void;
  /** A turn started (+1) or ended (-1). */
  inFlight(delta: 1 | -1): void;
  /** Time spent waiting to acquire a conversation's lease, in milliseconds. */
  leaseWait(ms: number): void;
  /** A lease was lost while its turn ran (the turn was abandoned, nothing saved). */
  leaseLost(): void;
  /** A compare-and-set write lost to another writer. */
  conflict(): void;
  /** A duplicate delivery was suppressed; `source` says what kind ('slack.event', 'slack.message', 'slack.action', 'discord.message'), counted once by the engine's shared dedupe. */
  duplicate(source: string): void;
  /** A scheduled job ran `ms` milliseconds after it was due. */
  lateness(ms: number): void;
  /** A refusal or a flag: the kinds and labels of src/safety/decisions.ts (DecisionHooks.onDecision). */
  decision(kind: string, labels: Readonly<Record<string, string>>): void;
}

/** Reports nothing. */
export const noopObserver: Observer = {
  turn() {},
  inFlight() {},
  leaseWait() {},
  leaseLost() {},
  conflict() {},
  duplicate() {},
  lateness() {},
  decision() {},
};

/**
 * The hooks object the 4/6 libraries take (`{ hooks }` of createRateLimits, createTokenBudget,
 * moderate): their decisions counted by `observer`. Structurally a DecisionHooks.
 */
export function decisionHooks(observer: Observer): { onDecision(kind: string, labels: Readonly<Record<string, string>>): void } {
  return { onDecision: (kind, labels) => observer.decision(kind, labels) };
}
