import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { defaultModelName, type Config } from '../config/config.js';
import type { Logger } from '../util/log.js';
import { FakeBackend } from './fake.js';
import type { LocalRuntime } from './local-runtime.js';
import type { ModelBackend } from './types.js';

export interface BackendChoice {
  /** What will be used, for the start-up line and the log ("openai:gpt-4o-mini"). */
  describe: string;
  /** Prepares the backend once (downloads/loads lazily) and shares it. */
  get: () => Promise<ModelBackend>;
  close: () => Promise<void>;
}

/** What several backends share: the local runtime (it owns the loaded models), made on first use. */
export interface SharedRuntime {
  runtime?: LocalRuntime;
}

/**
 * Picks the backend from MUSE_MODEL: `openai:<model>`, `local:<path.gguf>` or `fake`. Unset:
 * OpenAI when OPENAI_API_KEY is set, otherwise the default local model (downloaded once).
 */
export function chooseBackend(config: Config, log: Logger): BackendChoice {
  const shared: SharedRuntime = {};
  const choice = backendFor(defaultModelName(config), config, log, shared);
  return {
    ...choice,
    close: async () => {
      await choice.close();
      await shared.runtime?.close();
    },
  };
}

/**
 * The backend of one model name (as in MUSE_MODELS, or 'default': the downloaded local model),
 * prepared once and shared; local ones load on `shared`'s runtime. `close` closes the backend, not
 * the runtime (its owner closes that).
 */
export function backendFor(name: string, config: Config, log: Logger, shared: SharedRuntime, opts: { seesImages?: boolean } = {}): BackendChoice {
  const threads = config.MUSE_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const context = config.MUSE_CONTEXT_TOKENS === undefined ? {} : { contextTokens: config.MUSE_CONTEXT_TOKENS };
  let make: () => Promise<ModelBackend>;
  let describe: string;
  if (name === 'fake') {
    describe = 'fake (scripted test model)';
    make = async () => new FakeBackend({ fallback: (req) => `(fake model) ${req.messages.at(-1)?.content ?? ''}` });
  } else if (name.startsWith('openai:')) {
    const model = name.slice('openai:'.length);
    describe = `openai:${model}${config.OPENAI_BASE_URL ? ` at ${new URL(config.OPENAI_BASE_URL).host}` : ''}`;
    make = async () => {
      // Backends are imported when first used: node-llama-cpp is heavy to load.
      const { createOpenAIBackend } = await import('./openai.js');
      return createOpenAIBackend({
        model,
        ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
        ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
        ...context,
        timeoutMs: config.MUSE_MODEL_TIMEOUT_MS,
        logger: log,
        ...(opts.seesImages ? { seesImages: true } : {}),
      });
    };
  } else {
    const path = name.startsWith('local:') ? resolve(name.slice('local:'.length)) : undefined;
    describe = path ? `local:${path}` : `the default local model (downloaded once into ${config.MUSE_MODELS_DIR}/)`;
    make = async () => {
      const { ensureDefaultModel } = await import('./default-model.js');
      const { createLocalBackend, LocalRuntime } = await import('./local.js');
      const modelPath =
        path ??
        (await ensureDefaultModel({
          modelsDir: config.MUSE_MODELS_DIR,
          logger: log,
          ...(config.MUSE_DEFAULT_MODEL_URI
            ? { modelUri: config.MUSE_DEFAULT_MODEL_URI, fileName: basename(new URL(config.MUSE_DEFAULT_MODEL_URI.replace(/^hf:/, 'hf://')).pathname) }
            : {}),
        }));
      shared.runtime ??= new LocalRuntime({ logger: log }); // kept when preparing fails and is tried again
      const backend = createLocalBackend({ runtime: shared.runtime, modelPath, threads, ...context, timeoutMs: config.MUSE_MODEL_TIMEOUT_MS, logger: log });
      await backend.prepare?.();
      return backend;
    };
  }
  let pending: Promise<ModelBackend> | undefined;
  return {
    describe,
    get: () => {
      // A failed preparation is not cached, so a later turn can try again (e.g. once online).
      pending ??= make().catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
    close: async () => {
      const backend = await pending?.catch(() => undefined);
      await backend?.close?.();
    },
  };
}
