/** The engine's bounds on input and context. */
export interface EngineLimits {
  maxInputChars: number;
  /** Overrides the backend's context window. */
  contextTokens?: number;
  maxContextTurns: number;
  modelTimeoutMs: number;
  /** Turns that must have fallen out of the window before they are folded into the summary. */
  summaryBatch: number;
  /** How long a conversation's lease lasts unless renewed (renewed every third of it while held). */
  leaseTtlMs: number;
  /** How long a turn waits for a conversation another process holds (default: the model timeout, at most a minute). */
  leaseWaitMs?: number;
  /** Turns running at once in this process (MUSE_MAX_TURNS). */
  maxTurns: number;
  /** Turns waiting in one conversation (MUSE_QUEUE_PER_CONVERSATION). */
  queuePerConversation: number;
  /** Turns waiting in this process (MUSE_QUEUE_PER_PROCESS); beyond either queue, "busy" at once. */
  queuePerProcess: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  maxInputChars: 4000,
  maxContextTurns: 48,
  modelTimeoutMs: 120_000,
  summaryBatch: 8,
  leaseTtlMs: 15_000,
  maxTurns: 16,
  queuePerConversation: 8,
  queuePerProcess: 256,
};

/** The lease's ttl and wait, from the limits. */
export function leaseLimits(limits: EngineLimits): { ttlMs: number; waitMs: number } {
  return { ttlMs: limits.leaseTtlMs, waitMs: limits.leaseWaitMs ?? Math.min(limits.modelTimeoutMs, 60_000) };
}
