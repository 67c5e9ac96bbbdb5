import { resolve } from 'node:path';
import { commands, jobs, turnHooks } from '../commands/index.js';
import type { Config } from './config/config.js';
import { Engine, type EngineOptions } from './engine/engine.js';
import type { Logger } from './util/log.js';
import { describeStoreUrl, openStore } from './memory/open-store.js';
import type { ConversationStore } from './memory/types.js';
import { chooseBackend, type BackendChoice } from './model/resolve.js';
import { PersonaRegistry } from './personas/registry.js';
import { createLoreProvider } from './features/lore/index.js';

export interface App {
  engine: Engine;
  store: ConversationStore;
  backend: BackendChoice;
  config: Config;
  log: Logger;
  storeDescription: string;
  close(): Promise<void>;
}

/**
 * The engine with everything Muse's features plug in: the commands, the turn hooks (votes,
 * quiz answers), the scheduled jobs (vote windows closing) and the lore provider. The app, the
 * benches and end-to-end tests build it here.
 */
export function createEngine(options: Omit<EngineOptions, 'commands' | 'turnHooks' | 'lore' | 'jobs'>): Engine {
  return new Engine({ ...options, commands, turnHooks, jobs, lore: createLoreProvider() });
}

/** Wires the engine from configuration: store, personas, model backend, commands. */
export async function createApp(config: Config, log: Logger): Promise<App> {
  const storeDescription = describeStoreUrl(config.MUSE_STORE_URL);
  const store = await openStore(config.MUSE_STORE_URL, { timeoutMs: config.MUSE_STORE_TIMEOUT_MS });
  const personas = new PersonaRegistry([resolve(config.MUSE_PERSONAS_DIR)], {
    onError: (e) => log.warn({ file: e.file }, `persona file skipped: ${e.message}`),
  });
  const backend = chooseBackend(config, log);
  const engine = createEngine({
    store,
    backend: backend.get,
    personas,
    defaultPersona: config.MUSE_DEFAULT_PERSONA,
    limits: {
      maxInputChars: config.MUSE_MAX_INPUT_CHARS,
      maxContextTurns: config.MUSE_MAX_CONTEXT_TURNS,
      modelTimeoutMs: config.MUSE_MODEL_TIMEOUT_MS,
      ...(config.MUSE_CONTEXT_TOKENS === undefined ? {} : { contextTokens: config.MUSE_CONTEXT_TOKENS }),
    },
    logger: log,
  });
  log.info({ model: backend.describe, store: storeDescription, personas: personas.list().map((p) => p.name) }, 'muse ready');
  return {
    engine,
    store,
    backend,
    config,
    log,
    storeDescription,
    async close() {
      engine.close();
      await engine.idle().catch(() => undefined);
      await backend.close().catch(() => undefined);
      await store.close().catch(() => undefined);
    },
  };
}
