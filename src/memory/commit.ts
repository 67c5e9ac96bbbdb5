/**
 * The compare-and-set commit that each backend implements natively (a synchronous Map update, a
 * SQLite transaction, a Redis script, one Postgres statement). It works on keys and values as the
 * store keeps them: Keyv's serialized form, `{"value":<JSON>}`.
 *
 * Fenced (`lease` set): the commit also needs the lease at `lease.key` to be held by
 * `lease.token`, checked in the same atomic step as the rev (same script, statement,
 * transaction); otherwise it writes nothing and answers 'lease-lost'.
 */
export interface CasWrite {
  metaKey: string;
  /** The new meta, serialized. */
  meta: string;
  /** The rev the stored meta must have; undefined: none (no meta stored, or one without a rev). */
  expectRev: string | undefined;
  /** Turn entries written together with the meta, serialized. */
  turns: Array<{ key: string; value: string }>;
  /** The lease that must still be held, by its storage key (keys.ts `lease`) and token. */
  lease?: { key: string; token: string };
}

/** 'written': all of it; otherwise nothing was written, and why. The lease is checked first. */
export type CommitOutcome = 'written' | 'conflict' | 'lease-lost';

export type CommitIf = (write: CasWrite) => Promise<CommitOutcome>;

/** Whether the in-process lease at `leaseKey` is held by `token` right now (local-leases.ts). */
export type LeaseCheck = (leaseKey: string, token: string) => boolean;

/** A value in the form Keyv stores it (no expiry), as KeyvConversationStore serializes it. */
export function serialized(value: unknown): string {
  return JSON.stringify({ value });
}

/** The rev inside a stored meta, or undefined (nothing stored, or a meta without a rev). */
export function storedRev(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const rev = (JSON.parse(raw) as { value?: { rev?: unknown } } | null)?.value?.rev;
  return typeof rev === 'string' ? rev : undefined;
}

/** The outcome for a write, given what is stored; used inside each local atomic step. */
export function decide(write: CasWrite, stored: unknown, holds: LeaseCheck | undefined): CommitOutcome {
  if (write.lease && !(holds?.(write.lease.key, write.lease.token) ?? false)) return 'lease-lost';
  return storedRev(stored) === write.expectRev ? 'written' : 'conflict';
}

/** memory://: the Map Keyv writes into, checked and updated in one synchronous step. */
export function mapCommitIf(map: Map<string, unknown>, holds?: LeaseCheck): CommitIf {
  return async (write) => {
    const outcome = decide(write, map.get(write.metaKey), holds);
    if (outcome !== 'written') return outcome;
    for (const { key, value } of write.turns) map.set(key, value);
    map.set(write.metaKey, write.meta);
    return outcome;
  };
}
