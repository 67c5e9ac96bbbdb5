import type { Coordination } from '../memory/coordination.js';
import type { ConversationMeta, ConversationStore } from '../memory/types.js';
import type { ModelBackend } from '../model/types.js';
import type { Observer } from '../ops/observer.js';
import type { PersonaImportPolicy } from '../personas/catalog.js';
import type { PersonaRegistry } from '../personas/registry.js';
import type { Clock } from './clock.js';
import type { Feature } from './feature.js';
import type { ModelMenu } from './model-menu.js';
import type { TurnGuard } from './guard.js';
import type { EngineLimits } from './limits.js';

/** Where the engine logs (a pino logger fits). */
export interface EngineLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type { ModelMenu };

export interface EngineOptions {
  store: ConversationStore;
  /** Lazily prepared backend (a default model may need a download first). */
  backend: () => Promise<ModelBackend>;
  /** The backend for a conversation, from its meta (the model it chose); default: `backend`. */
  backendFor?: (meta: ConversationMeta) => Promise<ModelBackend>;
  /** The models a conversation may choose from; default: none to choose. */
  models?: ModelMenu;
  /** The built-in personas (files); imported ones are kept per tenant in `store`. */
  personas: PersonaRegistry;
  /** MUSE_PERSONA_IMPORT (default 'managers'). */
  personaImport?: PersonaImportPolicy;
  /** What Muse can do: the features, in registry order (see commands/index.ts). */
  features: readonly Feature[];
  defaultPersona?: string;
  limits?: Partial<EngineLimits>;
  logger?: EngineLogger;
  clock?: Clock;
  /** A number in [0, 1) for whatever is left to chance (default Math.random). */
  random?: () => number;
  /**
   * Leases, jobs with claims, dedupe and record compare-and-set (default: the store's own, from
   * openCoordination): shared by every process on Redis and Postgres, in process on memory and SQLite.
   */
  coordination?: Coordination;
  /** Told about every turn (src/ops/observer.ts; default: nothing). */
  observer?: Observer;
  /** Fair use: rate limits, budgets, moderation, PII (src/fair-use.ts; default: openGuard, everything passes). */
  guard?: TurnGuard;
}
