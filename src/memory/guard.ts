import { StoreUnavailableError } from './types.js';

/**
 * How every store operation runs (conversation store and coordination alike): under a timeout,
 * with any failure turned into StoreUnavailableError (a sentence for the user) whose `cause` is
 * the original error (for the log). Typed answers (a conflict, a lost lease) are decided by the
 * caller from what the operation returns, outside this.
 */
export async function guarded<T>(timeoutMs: number, operation: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(Promise.resolve().then(operation), timeoutMs);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(undefined, { cause: error });
  }
}

/** `work`, or a rejection once `timeoutMs` has passed (the work's own late failure is ignored). */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the memory store did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
