import type { DeadlineReason } from '../util/deadline.js';
import { ModelError, type FinishReason } from './types.js';

/** Pure mappings from node-llama-cpp's outcomes to Muse's finish reasons and ModelErrors. */

export function aborted(cause?: unknown): ModelError {
  return ModelError.of('aborted', 'engine.modelCancelled', undefined, cause === undefined ? {} : { cause });
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
  if (s.ended === 'timeout')
    return err instanceof ModelError && err.kind === 'timeout' ? err : ModelError.of('timeout', 'modelError.localSlow', undefined, { cause: err });
  if (err instanceof ModelError) return err;
  return s.textStarted
    ? ModelError.of('interrupted', 'modelError.localInterrupted', undefined, { cause: err })
    : ModelError.of('unknown', 'modelError.localFailed', undefined, { cause: err });
}
