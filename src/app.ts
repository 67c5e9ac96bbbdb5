import { resolve } from 'node:path';
import { features } from '../commands/index.js';
import type { Config } from './config/config.js';
import { Engine, type EngineOptions } from './engine/engine.js';
import type { Feature } from './engine/feature.js';
import type { Logger } from './util/log.js';
import { describeStoreUrl, openStore } from './memory/open-store.js';
import type { ConversationStore } from './memory/types.js';
import { chosenModel } from './features/model/index.js';
import { createModelCatalog, type ModelCatalog } from './model/catalog.js';
import { createFairUse } from './fair-use.js';
import { noopObserver, type Observer } from './ops/observer.js';
import { PersonaRegistry } from './personas/registry.js';

export interface App {
  engine: Engine;
  store: ConversationStore;
  /** The models (MUSE_MODEL first, then MUSE_MODELS): each conversation's backend, made once per name. */
  backend: ModelCatalog;
  config: Config;
  log: Logger;
  storeDescription: string;
  /** Who is told about turns, leases, duplicates and decisions (the 4/6 libraries take `decisionHooks(observer)`). */
  observer: Observer;
  close(): Promise<void>;
}

export type EngineParts = Omit<EngineOptions, 'features'> & {
  /** The features (default: Muse's registry, commands/index.ts). */
  features?: readonly Feature[];
};

/**
 * THE production factory: the engine with Muse's registered features (their commands, turn
 * hooks, prompts, context slots and scheduled jobs). The app, the benches and the tests build
 * the engine here, with their own store, backend and clock.
 */
export function createEngine(options: EngineParts): Engine {
  return new Engine({ ...options, features: options.features ?? features });
}

/** What the engine takes of the models: the default backend, each conversation's (the model it chose with /model, while it is offered), the list. */
export type ModelWiring = Pick<EngineOptions, 'backend' | 'backendFor' | 'models'>;

export function modelWiring(catalog: ModelCatalog): ModelWiring {
  return { backend: () => catalog.get(), backendFor: (meta) => catalog.get(chosenModel(meta)), models: catalog };
}

/** Wires the engine from configuration: store, personas, model backend, commands (and who observes the turns). */
export async function createApp(config: Config, log: Logger, opts: { observer?: Observer } = {}): Promise<App> {
  const storeDescription = describeStoreUrl(config.MUSE_STORE_URL);
  const store = await openStore(config.MUSE_STORE_URL, {
    timeoutMs: config.MUSE_STORE_TIMEOUT_MS,
    // What the store reports besides the failures that reach a user: e.g. a dedupe that failed open.
    onError: (err) => log.warn({ err }, 'memory store error'),
  });
  const personas = new PersonaRegistry([resolve(config.MUSE_PERSONAS_DIR)], {
    onError: (e) => log.warn({ file: e.file, ...(e.detail ? { detail: e.detail } : {}) }, `persona file skipped: ${e.message}`),
  });
  const backend = createModelCatalog(config, log);
  const observer = opts.observer ?? noopObserver;
  const guard = await createFairUse(config, { store, backend: () => backend.get(), log, observer });
  const engine = createEngine({
    store,
    ...modelWiring(backend),
    personas,
    defaultPersona: config.MUSE_DEFAULT_PERSONA,
    personaImport: config.MUSE_PERSONA_IMPORT,
    limits: {
      maxInputChars: config.MUSE_MAX_INPUT_CHARS,
      maxContextTurns: config.MUSE_MAX_CONTEXT_TURNS,
      modelTimeoutMs: config.MUSE_MODEL_TIMEOUT_MS,
      leaseTtlMs: config.MUSE_LEASE_TTL_MS,
      maxTurns: config.MUSE_MAX_TURNS,
      queuePerConversation: config.MUSE_QUEUE_PER_CONVERSATION,
      queuePerProcess: config.MUSE_QUEUE_PER_PROCESS,
      ...(config.MUSE_CONTEXT_TOKENS === undefined ? {} : { contextTokens: config.MUSE_CONTEXT_TOKENS }),
    },
    logger: log,
    observer,
    guard,
  });
  log.info({ model: backend.describe, models: backend.names, store: storeDescription, personas: personas.list().map((p) => p.name) }, 'muse ready');
  return {
    engine,
    store,
    backend,
    config,
    log,
    storeDescription,
    observer,
    async close() {
      engine.close();
      await engine.idle().catch(() => undefined);
      await backend.close().catch(() => undefined);
      await store.close().catch(() => undefined);
    },
  };
}
