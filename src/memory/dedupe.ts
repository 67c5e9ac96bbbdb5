/**
 * Dedupe of platform re-deliveries (coordination.ts `Dedupe`): the first claim of a key wins
 * until its ttl passes. Shared backends claim on the server (Redis SET NX PX, a Postgres
 * upsert); memory and SQLite keep a bounded map in process. A store failure answers true
 * (fails open: a duplicate reply is better than a lost one) and goes to onError.
 */
import type { Dedupe } from './coordination.js';
import { guarded } from './guard.js';

export function failOpen(claim: (key: string, ttlMs: number) => Promise<boolean>, timeoutMs: number, onError: (error: unknown) => void): Dedupe {
  return {
    claim: async (key, ttlMs) => {
      checkDedupeTtl(ttlMs);
      try {
        return await guarded(timeoutMs, () => claim(key, ttlMs));
      } catch (error) {
        onError(error);
        return true;
      }
    },
  };
}

export function checkDedupeTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new RangeError(`a dedupe ttlMs must be a positive integer, got ${ttlMs}`);
}

/** In process: at most `max` live keys, the oldest forgotten first. */
export class LocalDedupe implements Dedupe {
  private readonly until = new Map<string, number>();

  constructor(private readonly max = 50_000) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    checkDedupeTtl(ttlMs);
    const now = Date.now();
    const expires = this.until.get(key);
    if (expires !== undefined && expires > now) return false;
    this.until.delete(key);
    this.until.set(key, now + ttlMs);
    // Map order is insertion order: drop expired and overflowing keys from the oldest end.
    for (const [oldest, at] of this.until) {
      if (this.until.size <= this.max && at > now) break;
      this.until.delete(oldest);
    }
    return true;
  }
}
