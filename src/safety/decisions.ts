/**
 * One tiny hook for every refusal and flag, so the engine can log and count them (5/6 turns
 * the counts into metrics). The building blocks call it where they decide: RateLimits.take()
 * ('rate_limited'), TokenBudget.exceeded() ('budget'), moderate() ('flagged_input',
 * 'flagged_output', 'moderation_unavailable').
 *
 * Labels are low-cardinality (scope, rating, category, stage, action), never user or workspace
 * ids, so they can become metric labels as they are; the caller logs the ids itself.
 *
 *   const hooks: DecisionHooks = { onDecision: (kind, labels) => counter.inc({ kind, ...labels }) };
 */

export type DecisionKind = 'rate_limited' | 'budget' | 'flagged_input' | 'flagged_output' | 'moderation_unavailable';

export type DecisionLabels = Readonly<Record<string, string>>;

export interface DecisionHooks {
  onDecision?(kind: DecisionKind, labels: DecisionLabels): void;
}

/** Calls the hook; a hook that throws never breaks the decision. */
export function reportDecision(hooks: DecisionHooks | undefined, kind: DecisionKind, labels: DecisionLabels): void {
  try {
    hooks?.onDecision?.(kind, labels);
  } catch {
    // counting is best effort
  }
}
