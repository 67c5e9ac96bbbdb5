/**
 * Record compare-and-set (coordination.ts `Records`) over one primitive per backend: swap the
 * stored text of a record only if it is still the text that was read. The records are the
 * store's own (keys.ts `record`, Keyv's serialized `{"value":…}`), so getRecord/setRecord
 * and update() see the same values.
 */
import { serialized } from './commit.js';
import type { Records } from './coordination.js';
import { guarded } from './guard.js';
import { StoreConflictError } from './types.js';

/** One backend's record primitives, on storage keys and stored text; undefined: absent. */
export interface RecordCas {
  read(key: string): Promise<string | undefined>;
  /** Writes `next` (or deletes, when undefined) only if the stored text is `expected`. */
  swap(key: string, expected: string | undefined, next: string | undefined): Promise<boolean>;
}

const DEFAULT_ATTEMPTS = 16;

/** The message of a record change that lost every attempt (the engine shows it by key: engine.recordConflict). */
export const RECORD_CONFLICT = 'Something else kept changing this at the same moment, so nothing was saved; please try again.';

export class CasRecords implements Records {
  constructor(
    private readonly cas: RecordCas,
    private readonly storageKey: (key: string) => string,
    private readonly timeoutMs: number,
  ) {}

  async update<T>(key: string, change: (current: T | undefined) => T | undefined, options: { maxAttempts?: number } = {}): Promise<T | undefined> {
    const where = this.storageKey(key);
    const attempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
    if (!Number.isSafeInteger(attempts) || attempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${attempts}`);
    for (let attempt = 1; ; attempt++) {
      // Reading and parsing both count as the store's: a record that cannot be read is its failure.
      const [stored, current] = await guarded(this.timeoutMs, async () => {
        const text = await this.cas.read(where);
        return [text, valueOf<T>(text)] as const;
      });
      const next = change(current);
      const text = next === undefined ? undefined : serialized(next);
      if (text === stored) return next;
      if (await guarded(this.timeoutMs, () => this.cas.swap(where, stored, text))) return next;
      if (attempt >= attempts) break;
      // Someone else wrote in between: try again after a short random pause, so the writers
      // that collided do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, 2 * attempt)));
    }
    throw new StoreConflictError(key, undefined, RECORD_CONFLICT);
  }
}

/** The value in a record's stored text (Keyv's `{"value":…}`); an expired one is absent. */
function valueOf<T>(stored: string | undefined): T | undefined {
  if (stored === undefined) return undefined;
  const parsed = JSON.parse(stored) as { value?: T; expires?: unknown } | null;
  if (typeof parsed?.expires === 'number' && parsed.expires <= Date.now()) return undefined;
  return parsed?.value;
}

/** memory://: the Map Keyv writes into, compared and changed in one synchronous step. */
export function mapRecordCas(map: Map<string, unknown>): RecordCas {
  return {
    read: async (key) => {
      const value = map.get(key);
      return typeof value === 'string' ? value : undefined;
    },
    swap: async (key, expected, next) => {
      const value = map.get(key);
      if ((typeof value === 'string' ? value : undefined) !== expected) return false;
      if (next === undefined) map.delete(key);
      else map.set(key, next);
      return true;
    },
  };
}
