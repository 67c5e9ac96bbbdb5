import { stat } from 'node:fs/promises';
import path from 'node:path';
import { resolveChatWrapper, type ChatWrapper, type LlamaModel } from 'node-llama-cpp';
import { Deadline } from '../util/deadline.js';
import { localError } from './local-errors.js';
import { generate, type LoadedModel, type LocalPrompt } from './local-generate.js';
import type { LocalLogger, LocalRuntime } from './local-runtime.js';
import { ModelError, type ModelBackend, type ModelPart, type ModelRequest } from './types.js';

/**
 * The `local:<path.gguf>` backend: node-llama-cpp on a GGUF file, in this process. A model with
 * a chat template is prompted with it; a base model (no template) gets raw completion.
 *
 * The pieces: local-runtime.ts (the Llama runtimes, loaded models and contexts, shared by the
 * backends given the same runtime), local-generate.ts (one reply on a context sequence),
 * local-prompt.ts (message mapping), local-errors.ts (finish reasons and errors).
 */

export type { LocalLogger } from './local-runtime.js';
export type { LocalPrompt } from './local-generate.js';
export { LocalRuntime } from './local-runtime.js';

export interface LocalBackendOptions {
  /** Owns the loaded models; backends on the same runtime and file share one. */
  runtime: LocalRuntime;
  modelPath: string;
  /** CPU threads for llama.cpp (default 1: on small machines the library default is far slower). */
  threads?: number;
  /** Context window; default: the model's training context, capped at 8192. */
  contextTokens?: number;
  /** Use a GPU if one is found (default false: CPU only). */
  gpu?: boolean;
  /** 'auto' (default): the model's chat template if it has one, else raw completion. */
  promptFormat?: 'auto' | 'chat' | 'completion';
  /** Default per-request deadline (default 10 minutes). */
  timeoutMs?: number;
  logger?: LocalLogger;
  /** Called once per reply when the model is done with it, with its prompt (diagnostics, tests). */
  onPrompt?: (prompt: LocalPrompt) => void;
}

/** Reported by `contextTokens` before the model is loaded (call prepare() to learn the real one). */
const CONTEXT_BEFORE_LOAD = 2048;

export interface LocalBackend extends ModelBackend {
  /** Whether the model is loaded (prepare() or a first reply). */
  readonly loaded: boolean;
  /** The loaded model (shared with other backends on the same file and runtime), once loaded. */
  readonly model: LlamaModel | undefined;
  countTokens(text: string): number;
  prepare(): Promise<void>;
  /** Releases the model (disposed when its last backend on the runtime closes). Idempotent. */
  close(): Promise<void>;
}

export function createLocalBackend(opts: LocalBackendOptions): LocalBackend {
  return new LocalGgufBackend(opts);
}

class LocalGgufBackend implements LocalBackend {
  readonly id: string;
  private readonly modelPath: string;
  private readonly threads: number;
  private readonly timeoutMs: number;
  private readonly logger: LocalLogger | undefined;
  private ready: Promise<LoadedModel> | undefined;
  private current: LoadedModel | undefined;
  private closed = false;

  constructor(private readonly opts: LocalBackendOptions) {
    this.modelPath = path.resolve(opts.modelPath);
    this.id = `local:${opts.modelPath}`;
    this.threads = Math.max(1, Math.floor(opts.threads ?? 1));
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.logger = opts.logger;
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  get model(): LlamaModel | undefined {
    return this.current?.lease.model;
  }

  get contextTokens(): number {
    return this.current?.lease.context.contextSize ?? this.opts.contextTokens ?? CONTEXT_BEFORE_LOAD;
  }

  countTokens(text: string): number {
    const model = this.current?.lease.model;
    if (!model || model.disposed) return Math.ceil(text.length / 4);
    return model.tokenize(text).length;
  }

  async prepare(): Promise<void> {
    await this.load();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ready = this.ready;
    this.ready = undefined;
    this.current = undefined;
    const loaded = await ready?.catch(() => undefined);
    await loaded?.lease.release();
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    const deadline = new Deadline(request.timeoutMs ?? this.timeoutMs, request.signal);
    const state = { textStarted: false };
    try {
      if (deadline.reason) throw deadline.signal.reason; // an already-aborted request fails at once
      const loaded = await deadline.race(this.load());
      if (loaded.lease.model.disposed) throw ModelError.of('unavailable', 'modelError.localClosed'); // its runtime was closed
      const release = await loaded.lease.acquire(deadline.signal);
      try {
        for await (const part of generate(loaded, request, deadline, this.opts.onPrompt && ((p) => this.report(p)))) {
          if (part.type === 'text') state.textStarted = true;
          yield part;
        }
      } finally {
        release();
      }
    } catch (err) {
      const error = localError(err, { ended: deadline.reason, textStarted: state.textStarted });
      if (error.cause === err && (error.kind === 'interrupted' || error.kind === 'unknown')) {
        this.logger?.error?.({ err, model: this.modelPath }, 'local generation failed');
      }
      throw error;
    } finally {
      deadline.dispose();
    }
  }

  private load(): Promise<LoadedModel> {
    if (this.closed) return Promise.reject(ModelError.of('unavailable', 'modelError.localClosed'));
    if (!this.ready) {
      this.ready = this.doLoad().then(
        (loaded) => {
          this.current = loaded;
          return loaded;
        },
        (err: unknown) => {
          this.ready = undefined; // a later call may try again (e.g. after the file appears)
          throw err;
        },
      );
    }
    return this.ready;
  }

  private async doLoad(): Promise<LoadedModel> {
    const file = this.modelPath;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      throw ModelError.of('unavailable', 'modelError.localMissing', undefined, { detail: `model file ${file}` });
    }
    let lease: LoadedModel['lease'] | undefined;
    try {
      lease = await this.opts.runtime.open({
        file,
        gpu: this.opts.gpu ?? false,
        threads: this.threads,
        ...(this.opts.contextTokens === undefined ? {} : { contextTokens: this.opts.contextTokens }),
      });
      const chatWrapper = this.pickChatWrapper(lease.model);
      this.logger?.info?.(
        { model: file, contextTokens: lease.context.contextSize, threads: this.threads, chatWrapper: chatWrapper?.wrapperName ?? null },
        'local model ready',
      );
      return { lease, chatWrapper };
    } catch (err) {
      await lease?.release();
      if (err instanceof ModelError) throw err;
      this.logger?.error?.({ err, model: file }, 'local model failed to load');
      throw ModelError.of('unavailable', 'modelError.localLoad', undefined, { cause: err, detail: `model file ${file}` });
    }
  }

  private pickChatWrapper(model: LlamaModel): ChatWrapper | null {
    const format = this.opts.promptFormat ?? 'auto';
    if (format === 'completion') return null;
    const template = model.fileInfo.metadata.tokenizer?.chat_template;
    if (format === 'auto' && (typeof template !== 'string' || template.trim() === '')) return null;
    return resolveChatWrapper(model);
  }

  private report(prompt: LocalPrompt): void {
    try {
      this.opts.onPrompt?.(prompt);
    } catch (err) {
      this.logger?.warn?.({ err }, 'local: onPrompt failed');
    }
  }
}
