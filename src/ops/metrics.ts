/**
 * Muse's Prometheus metrics (prom-client), every name starting `muse_`, in a registry of their
 * own: the observer's calls (observer.ts) become counters, gauges and histograms, and
 * prom-client's default process metrics (event-loop lag among them) come with the same prefix.
 *
 *   muse_turns_total{outcome}             turns by how they ended (done, bad_input, model, store, restarting…)
 *   muse_turn_seconds                     how long turns took (histogram)
 *   muse_turns_in_flight                  turns running now
 *   muse_lease_wait_seconds               waits for a conversation's lease (histogram)
 *   muse_leases_lost_total                leases lost mid-turn
 *   muse_cas_conflicts_total              compare-and-set writes that lost to another writer
 *   muse_duplicates_suppressed_total{source}   re-deliveries not answered again
 *   muse_scheduler_lateness_seconds       how late scheduled jobs ran (histogram)
 *   muse_decisions_total{kind,…}          refusals and flags (rate_limited, budget, flagged_input, flagged_output, moderation_unavailable)
 *   muse_nodejs_eventloop_lag_seconds …   prom-client's default metrics
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Observer } from './observer.js';

/** The labels a decision may carry (src/safety/decisions.ts); anything else is left out. */
const DECISION_LABELS = ['scope', 'stage', 'rating', 'action', 'category'] as const;

export interface Metrics {
  readonly observer: Observer;
  readonly registry: Registry;
  /** The Content-Type of render()'s text. */
  readonly contentType: string;
  /** The text exposition of every metric, for GET /metrics. */
  render(): Promise<string>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'muse_' });
  const registers = [registry];
  const turns = new Counter({ name: 'muse_turns_total', help: 'Turns by how they ended.', labelNames: ['outcome'], registers });
  const turnSeconds = new Histogram({
    name: 'muse_turn_seconds',
    help: 'How long a turn took, from the engine taking it to its end part.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const inFlight = new Gauge({ name: 'muse_turns_in_flight', help: 'Turns running now.', registers });
  const leaseWait = new Histogram({
    name: 'muse_lease_wait_seconds',
    help: "Time spent waiting for a conversation's lease.",
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers,
  });
  const leasesLost = new Counter({
    name: 'muse_leases_lost_total',
    help: 'Leases lost while their turn ran (the turn was abandoned, nothing saved).',
    registers,
  });
  const conflicts = new Counter({ name: 'muse_cas_conflicts_total', help: 'Compare-and-set writes that lost to another writer.', registers });
  const duplicates = new Counter({
    name: 'muse_duplicates_suppressed_total',
    help: 'Re-delivered events that were not answered again.',
    labelNames: ['source'],
    registers,
  });
  const lateness = new Histogram({
    name: 'muse_scheduler_lateness_seconds',
    help: 'How long after its due time a scheduled job (a vote or round closing) ran.',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers,
  });
  const decisions = new Counter({
    name: 'muse_decisions_total',
    help: 'Refusals and flags: rate_limited, budget, flagged_input, flagged_output, moderation_unavailable.',
    labelNames: ['kind', ...DECISION_LABELS],
    registers,
  });

  const observer: Observer = {
    turn(outcome, seconds) {
      turns.inc({ outcome });
      turnSeconds.observe(seconds);
    },
    inFlight: (delta) => inFlight.inc(delta),
    leaseWait: (ms) => leaseWait.observe(ms / 1000),
    leaseLost: () => leasesLost.inc(),
    conflict: () => conflicts.inc(),
    duplicate: (source) => duplicates.inc({ source }),
    lateness: (ms) => lateness.observe(Math.max(0, ms) / 1000),
    decision(kind, labels) {
      const known: Record<string, string> = { kind };
      for (const name of DECISION_LABELS) if (typeof labels[name] === 'string') known[name] = labels[name];
      decisions.inc(known);
    },
  };
  return { observer, registry, contentType: registry.contentType, render: () => registry.metrics() };
}
