import type { DeadlineReason } from '../util/deadline.js';
import { ModelError, type FinishReason } from './types.js';

/** Pure mappings from node-llama-cpp's outcomes to Muse's finish reasons and ModelErrors. */

export const CANCELLED = 'The reply was cancelled.';
const TOO_SLOW = 'The local model took too long to reply.';

export function aborted(cause?: unknown): ModelError {
  return new ModelError('aborted', CANCELLED, cause === undefined ? {} : { cause });
}

export function finishReason(stopReason: string | undefined): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'eogToken' || stopReason === 'customStopTrigger' || stopReason === 'stopGenerationTrigger') return 'stop';
  return 'other';
}

/**
 * The error a local reply ends with: the deadline's reason when it ended (the caller's cancel or
 * the time limit), else a ModelError from below as it is, else 'interrupted' once text had
 * started or 'unknown' before.
 */
export function localError(err: unknown, s: { ended: DeadlineReason | undefined; textStarted: boolean }): ModelError {
  if (s.ended === 'aborted') return err instanceof ModelError && err.kind === 'aborted' ? err : aborted(err);
  if (s.ended === 'timeout') return err instanceof ModelError && err.kind === 'timeout' ? err : new ModelError('timeout', TOO_SLOW, { cause: err });
  if (err instanceof ModelError) return err;
  return s.textStarted
    ? new ModelError('interrupted', 'The local model stopped in the middle of its reply.', { cause: err })
    : new ModelError('unknown', 'The local model failed to write a reply.', { cause: err });
}
