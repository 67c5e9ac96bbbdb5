/**
 * The compare-and-set commit that each backend implements natively (a synchronous Map update, a
 * SQLite transaction, a Redis script, one Postgres statement). It works on keys and values as the
 * store keeps them: Keyv's serialized form, `{"value":<JSON>}`.
 */
export interface CasWrite {
  metaKey: string;
  /** The new meta, serialized. */
  meta: string;
  /** The rev the stored meta must have; undefined: none (no meta stored, or one without a rev). */
  expectRev: string | undefined;
  /** Turn entries written together with the meta, serialized. */
  turns: Array<{ key: string; value: string }>;
}

/** Writes the whole commit and resolves true, or writes nothing and resolves false. */
export type CommitIf = (write: CasWrite) => Promise<boolean>;

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

/** memory://: the Map Keyv writes into, checked and updated in one synchronous step. */
export function mapCommitIf(map: Map<string, unknown>): CommitIf {
  return async ({ metaKey, meta, expectRev, turns }) => {
    if (storedRev(map.get(metaKey)) !== expectRev) return false;
    for (const { key, value } of turns) map.set(key, value);
    map.set(metaKey, meta);
    return true;
  };
}
