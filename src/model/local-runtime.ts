import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { KeyedLock } from '../util/lock.js';
import { ModelError } from './types.js';

/** pino-compatible; every method optional. */
export interface LocalLogger {
  debug?(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

export interface LocalRuntimeOptions {
  /** Receives llama.cpp's own messages (at debug level). */
  logger?: LocalLogger;
}

export interface LocalModelSpec {
  /** Absolute path of the GGUF file. */
  file: string;
  gpu: boolean;
  threads: number;
  /** Context window; default: the model's training context, capped at 8192. */
  contextTokens?: number;
}

/** One backend's hold on a loaded model and a context on it (shared with others that asked the same). */
export interface LocalLease {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequence: LlamaContextSequence;
  /** Waits for the sequence: generations on it run one at a time, in order; a waiter can give up. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Gives the lease back; a model is disposed when its last lease goes. Idempotent. */
  release(): Promise<void>;
}

const MAX_DEFAULT_CONTEXT = 8192;

interface SharedContext {
  key: string;
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

interface SharedModel {
  key: string;
  refs: number;
  model: Promise<LlamaModel>;
  contexts: Map<number, Promise<SharedContext>>;
  disposed?: Promise<void>;
}

/**
 * What local backends share, owned explicitly (no process-wide state): one Llama runtime per
 * (gpu, threads), one loaded model per file (disposed when the last lease on it is released),
 * one context per size, and the lock that queues generations on a context's sequence. The app
 * makes one (see resolve.ts) and hands it to its backends; tests and the bench make their own.
 * `close()` disposes everything it still holds, the Llama runtimes included.
 */
export class LocalRuntime {
  private readonly llamas = new Map<string, Promise<Llama>>();
  private readonly models = new Map<string, SharedModel>();
  private readonly sequences = new KeyedLock();
  private loads = 0;
  private closed = false;

  constructor(private readonly opts: LocalRuntimeOptions = {}) {}

  /** How many times this runtime has loaded a model file (for tests and diagnostics). */
  modelLoadCount(): number {
    return this.loads;
  }

  /** Loads the model (once per file) and its context (once per size); errors are node-llama-cpp's own. */
  async open(spec: LocalModelSpec): Promise<LocalLease> {
    if (this.closed) throw ModelError.of('unavailable', 'modelError.runtimeClosed');
    const llamaKey = `${spec.gpu ? 'gpu' : 'cpu'}:${spec.threads}`;
    const key = `${llamaKey}:${spec.file}`;
    let entry = this.models.get(key);
    if (!entry) {
      const llama = this.llama(llamaKey, spec);
      const model = llama.then((l) => {
        this.loads++;
        return l.loadModel({ modelPath: spec.file });
      });
      const created: SharedModel = { key, refs: 0, model, contexts: new Map() };
      entry = created;
      this.models.set(key, created);
      model.catch(() => {
        if (this.models.get(key) === created) this.models.delete(key);
      });
    }
    entry.refs++;
    try {
      const model = await entry.model;
      const size = spec.contextTokens ?? Math.min(model.trainContextSize, MAX_DEFAULT_CONTEXT);
      const shared = await this.context(entry, model, size, spec.threads);
      if (this.closed) throw ModelError.of('unavailable', 'modelError.runtimeClosed');
      return this.lease(entry, model, shared);
    } catch (err) {
      await this.release(entry);
      throw err;
    }
  }

  /** Disposes every context, model and Llama runtime it holds; later open() calls fail. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.models.values()];
    this.models.clear();
    await Promise.all(entries.map((e) => this.dispose(e)));
    const llamas = await Promise.allSettled([...this.llamas.values()]);
    this.llamas.clear();
    for (const l of llamas) if (l.status === 'fulfilled') await l.value.dispose().catch(() => {});
  }

  private llama(key: string, spec: LocalModelSpec): Promise<Llama> {
    let llama = this.llamas.get(key);
    if (!llama) {
      const logger = this.opts.logger;
      llama = getLlama({
        gpu: spec.gpu ? 'auto' : false,
        maxThreads: spec.threads,
        build: 'never',
        skipDownload: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => logger?.debug?.({ level, message: message.trim() }, 'llama.cpp'),
      });
      this.llamas.set(key, llama);
      llama.catch(() => this.llamas.delete(key));
    }
    return llama;
  }

  private context(entry: SharedModel, model: LlamaModel, size: number, threads: number): Promise<SharedContext> {
    let shared = entry.contexts.get(size);
    if (!shared) {
      const key = `${entry.key}:${size}`;
      const created = model.createContext({ contextSize: size, threads, sequences: 1 }).then((context) => ({ key, context, sequence: context.getSequence() }));
      shared = created;
      entry.contexts.set(size, created);
      created.catch(() => {
        if (entry.contexts.get(size) === created) entry.contexts.delete(size);
      });
    }
    return shared;
  }

  private lease(entry: SharedModel, model: LlamaModel, shared: SharedContext): LocalLease {
    let released: Promise<void> | undefined;
    return {
      model,
      context: shared.context,
      sequence: shared.sequence,
      acquire: (signal) => this.sequences.acquire(shared.key, signal),
      release: () => (released ??= this.release(entry)),
    };
  }

  private async release(entry: SharedModel): Promise<void> {
    entry.refs--;
    if (entry.refs > 0) return;
    if (this.models.get(entry.key) === entry) this.models.delete(entry.key);
    await this.dispose(entry);
    // The Llama runtime stays until close(): it takes ~1.5 s to start and does not keep the process alive.
  }

  private dispose(entry: SharedModel): Promise<void> {
    entry.disposed ??= (async () => {
      const contexts = await Promise.allSettled([...entry.contexts.values()]);
      for (const c of contexts) if (c.status === 'fulfilled') await c.value.context.dispose().catch(() => {});
      const model = await entry.model.catch(() => undefined);
      await model?.dispose().catch(() => {});
    })();
    return entry.disposed;
  }
}
