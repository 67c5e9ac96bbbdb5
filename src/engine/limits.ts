/** The engine's bounds on input and context. */
export interface EngineLimits {
  maxInputChars: number;
  /** Overrides the backend's context window. */
  contextTokens?: number;
  maxContextTurns: number;
  modelTimeoutMs: number;
  /** Turns that must have fallen out of the window before they are folded into the summary. */
  summaryBatch: number;
}

export const DEFAULT_LIMITS: EngineLimits = { maxInputChars: 4000, maxContextTurns: 48, modelTimeoutMs: 120_000, summaryBatch: 8 };
