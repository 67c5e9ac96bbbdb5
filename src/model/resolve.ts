import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../util/log.js';
import { FakeBackend } from './fake.js';
import type { LocalRuntime } from './local-runtime.js';
import type { ModelBackend } from './types.js';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export interface BackendChoice {
  /** What will be used, for the start-up line and the log ("openai:gpt-4o-mini"). */
  describe: string;
  /** Prepares the backend once (downloads/loads lazily) and shares it. */
  get: () => Promise<ModelBackend>;
  close: () => Promise<void>;
}

/**
 * Picks the backend from MUSE_MODEL: `openai:<model>`, `local:<path.gguf>` or `fake`. Unset:
 * OpenAI when OPENAI_API_KEY is set, otherwise the default local model (downloaded once).
 */
export function chooseBackend(config: Config, log: Logger): BackendChoice {
  const threads = config.MUSE_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const context = config.MUSE_CONTEXT_TOKENS === undefined ? {} : { contextTokens: config.MUSE_CONTEXT_TOKENS };
  const spec = config.MUSE_MODEL ?? (config.OPENAI_API_KEY ? `openai:${DEFAULT_OPENAI_MODEL}` : undefined);
  let make: () => Promise<ModelBackend>;
  let describe: string;
  /** The local backends' runtime, made on first use: it owns the loaded model, which they share. */
  let runtime: LocalRuntime | undefined;
  if (spec === 'fake') {
    describe = 'fake (scripted test model)';
    make = async () => new FakeBackend({ fallback: (req) => `(fake model) ${req.messages.at(-1)?.content ?? ''}` });
  } else if (spec?.startsWith('openai:')) {
    const model = spec.slice('openai:'.length);
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
      });
    };
  } else {
    const path = spec?.startsWith('local:') ? resolve(spec.slice('local:'.length)) : undefined;
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
      runtime ??= new LocalRuntime({ logger: log }); // kept when preparing fails and is tried again
      const backend = createLocalBackend({ runtime, modelPath, threads, ...context, timeoutMs: config.MUSE_MODEL_TIMEOUT_MS, logger: log });
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
      await runtime?.close();
    },
  };
}
