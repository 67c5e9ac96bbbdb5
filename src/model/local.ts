import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  getLlama,
  LlamaChat,
  LlamaCompletion,
  LlamaLogLevel,
  resolveChatWrapper,
  SpecialToken,
  type LlamaText,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { toChatHistory, toCompletionPrompt } from './local-prompt.js';
import { ModelError, type FinishReason, type ModelBackend, type ModelPart, type ModelRequest } from './types.js';

/** pino-compatible; every method optional. */
export interface LocalLogger {
  debug?(obj: object, msg?: string): void;
  info?(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

export interface LocalBackendOptions {
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

/** The prompt of one reply, as the model was given it. */
export interface LocalPrompt {
  /** The chat wrapper that formatted it (e.g. "ChatML"), or null for raw completion. */
  chatWrapper: string | null;
  /** The formatted text, special tokens written as their text (BOS as e.g. `<s>`). */
  text: string;
  /** Its tokens (node-llama-cpp cuts a prompt longer than the context from the front). */
  tokens: readonly Token[];
  /**
   * What the model's context held when the reply ended: the prompt's tokens, then the reply's
   * (unless the context had to be shifted).
   */
  sequenceTokens: readonly Token[];
}

const MAX_DEFAULT_CONTEXT = 8192;
/** Reported by `contextTokens` before the model is loaded (call prepare() to learn the real one). */
const CONTEXT_BEFORE_LOAD = 2048;
const DEFAULT_TEMPERATURE = 0.8;

// ---- Shared across backends: one Llama runtime per (gpu, threads) for the whole process, one
// loaded model per file (disposed when the last backend using it closes), one context per size.

interface SharedContext {
  context: LlamaContext;
  sequence: LlamaContextSequence;
  mutex: Mutex;
}

interface SharedModel {
  key: string;
  refs: number;
  model: Promise<LlamaModel>;
  contexts: Map<number, Promise<SharedContext>>;
}

const llamas = new Map<string, Promise<Llama>>();
const models = new Map<string, SharedModel>();
let loads = 0;

/** How many times a model file has been loaded in this process (for tests and diagnostics). */
export function localModelLoadCount(): number {
  return loads;
}

function getSharedLlama(gpu: boolean, threads: number, logger?: LocalLogger): { key: string; llama: Promise<Llama> } {
  const key = `${gpu ? 'gpu' : 'cpu'}:${threads}`;
  let llama = llamas.get(key);
  if (!llama) {
    llama = getLlama({
      gpu: gpu ? 'auto' : false,
      maxThreads: threads,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => logger?.debug?.({ level, message: message.trim() }, 'llama.cpp'),
    });
    llamas.set(key, llama);
    llama.catch(() => llamas.delete(key));
  }
  return { key, llama };
}

async function releaseShared(entry: SharedModel): Promise<void> {
  entry.refs--;
  if (entry.refs > 0) return;
  models.delete(entry.key);
  const contexts = await Promise.allSettled([...entry.contexts.values()]);
  for (const c of contexts) if (c.status === 'fulfilled') await c.value.context.dispose().catch(() => {});
  const model = await entry.model.catch(() => undefined);
  await model?.dispose().catch(() => {});
  // The Llama runtime itself stays for the life of the process (it takes ~1.5 s to start and
  // does not keep the process alive).
}

// ---- The backend.

interface Loaded {
  entry: SharedModel;
  model: LlamaModel;
  shared: SharedContext;
  chatWrapper: ChatWrapper | null;
}

export function createLocalBackend(opts: LocalBackendOptions): ModelBackend & { readonly loaded: boolean; readonly model: LlamaModel | undefined } {
  return new LocalBackend(opts);
}

class LocalBackend implements ModelBackend {
  readonly id: string;
  private readonly modelPath: string;
  private readonly threads: number;
  private readonly gpu: boolean;
  private readonly timeoutMs: number;
  private readonly logger: LocalLogger | undefined;
  private ready: Promise<Loaded> | undefined;
  private current: Loaded | undefined;
  private closed = false;

  constructor(private readonly opts: LocalBackendOptions) {
    this.modelPath = path.resolve(opts.modelPath);
    this.id = `local:${opts.modelPath}`;
    this.threads = Math.max(1, Math.floor(opts.threads ?? 1));
    this.gpu = opts.gpu ?? false;
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.logger = opts.logger;
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  /** The loaded model (shared with other backends on the same file), once prepare() is done. */
  get model(): LlamaModel | undefined {
    return this.current?.model;
  }

  get contextTokens(): number {
    return this.current?.shared.context.contextSize ?? this.opts.contextTokens ?? CONTEXT_BEFORE_LOAD;
  }

  countTokens(text: string): number {
    const model = this.current?.model;
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
    if (loaded) await releaseShared(loaded.entry);
  }

  private load(): Promise<Loaded> {
    if (this.closed) return Promise.reject(new ModelError('unavailable', 'The local model has been closed.'));
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

  private async doLoad(): Promise<Loaded> {
    const file = this.modelPath;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new ModelError('unavailable', `The local model file ${file} does not exist.`);

    const { key: llamaKey, llama } = getSharedLlama(this.gpu, this.threads, this.logger);
    const key = `${llamaKey}:${file}`;
    let entry = models.get(key);
    if (!entry) {
      const model = llama.then((l) => {
        loads++;
        return l.loadModel({ modelPath: file });
      });
      entry = { key, refs: 0, model, contexts: new Map() };
      models.set(key, entry);
      const created = entry;
      model.catch(() => {
        if (models.get(key) === created) models.delete(key);
      });
    }
    entry.refs++;
    try {
      const model = await entry.model;
      const size = this.opts.contextTokens ?? Math.min(model.trainContextSize, MAX_DEFAULT_CONTEXT);
      let shared = entry.contexts.get(size);
      if (!shared) {
        shared = createSharedContext(model, size, this.threads);
        entry.contexts.set(size, shared);
        const created = shared;
        const owner = entry;
        shared.catch(() => {
          if (owner.contexts.get(size) === created) owner.contexts.delete(size);
        });
      }
      const chatWrapper = this.pickChatWrapper(model);
      const loaded: Loaded = { entry, model, shared: await shared, chatWrapper };
      this.logger?.info?.(
        { model: file, contextTokens: loaded.shared.context.contextSize, threads: this.threads, chatWrapper: chatWrapper?.wrapperName ?? null },
        'local model ready',
      );
      return loaded;
    } catch (err) {
      await releaseShared(entry);
      this.logger?.error?.({ err, model: file }, 'local model failed to load');
      throw new ModelError('unavailable', `The local model ${file} could not be loaded.`, { cause: err });
    }
  }

  private pickChatWrapper(model: LlamaModel): ChatWrapper | null {
    const format = this.opts.promptFormat ?? 'auto';
    if (format === 'completion') return null;
    const template = model.fileInfo.metadata.tokenizer?.chat_template;
    if (format === 'auto' && (typeof template !== 'string' || template.trim() === '')) return null;
    return resolveChatWrapper(model);
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
    const userSignal = request.signal;
    if (userSignal?.aborted) throw aborted();
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(aborted());
    userSignal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ModelError('timeout', 'The local model took too long to reply.'));
    }, timeoutMs);
    const state = { textStarted: false };
    try {
      const loaded = await untilAborted(this.load(), controller.signal);
      const release = await loaded.shared.mutex.acquire(controller.signal);
      try {
        for await (const part of this.generate(loaded, request, controller.signal)) {
          if (part.type === 'text') state.textStarted = true;
          yield part;
        }
      } finally {
        release();
      }
    } catch (err) {
      throw this.toModelError(err, { aborted: userSignal?.aborted === true, timedOut, textStarted: state.textStarted });
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    }
  }

  private async *generate(loaded: Loaded, request: ModelRequest, outerSignal: AbortSignal): AsyncGenerator<ModelPart> {
    const { model, shared, chatWrapper } = loaded;
    // Our own controller, so that a consumer that stops iterating also stops the generation.
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outerSignal.reason);
    if (outerSignal.aborted) throw outerSignal.reason;
    outerSignal.addEventListener('abort', onOuterAbort, { once: true });

    const pending: string[] = [];
    let wake: (() => void) | undefined;
    let outputTokens = 0;
    const stopTokens = [model.tokens.bos, model.tokens.eos].filter((t): t is Token => t != null);
    const options = {
      signal: controller.signal,
      temperature: request.temperature ?? DEFAULT_TEMPERATURE,
      // A reply ends by the context size at the latest: a base model given a chat template may
      // never write the template's stop (the tiny test model never writes <|im_end|>).
      maxTokens: Math.max(1, request.maxOutputTokens ?? shared.context.contextSize),
      customStopTriggers: [...(request.stop ?? []).filter((s) => s !== ''), ...stopTokens.map((t) => [t])],
      onTextChunk: (text: string) => {
        if (text === '') return;
        pending.push(text);
        wake?.();
      },
      onToken: (tokens: Token[]) => {
        outputTokens += tokens.length;
      },
    };

    let prompt: Omit<LocalPrompt, 'sequenceTokens'>;
    let run: () => Promise<string>;
    if (chatWrapper) {
      const history = toChatHistory(request.messages);
      const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
      prompt = { chatWrapper: chatWrapper.wrapperName, text: renderLlamaText(contextText, model), tokens: contextText.tokenize(model.tokenizer) };
      run = () => {
        const chat = new LlamaChat({ contextSequence: shared.sequence, chatWrapper });
        return chat.generateResponse(history, options).then((r) => r.metadata.stopReason).finally(() => chat.dispose({ disposeSequence: false }));
      };
    } else {
      const completionPrompt = toCompletionPrompt(request.messages);
      if (completionPrompt.opening !== '') pending.push(completionPrompt.opening);
      // LlamaCompletion prepends BOS (when the model wants one) to the prompt's tokens.
      const bos = model.tokens.bos != null && model.tokens.shouldPrependBosToken ? [model.tokens.bos] : [];
      const tokens = [...bos, ...model.tokenize(completionPrompt.prompt, false, 'trimLeadingSpace')];
      prompt = { chatWrapper: null, text: model.detokenize(bos, true) + completionPrompt.prompt, tokens };
      run = () => {
        const completion = new LlamaCompletion({ contextSequence: shared.sequence });
        return completion.generateCompletionWithMeta(completionPrompt.prompt, options).then((r) => r.metadata.stopReason).finally(() => completion.dispose());
      };
    }
    const inputTokens = Math.min(prompt.tokens.length, shared.context.contextSize);

    let finished = false;
    let stopReason: string | undefined;
    let failure: unknown;
    const done = run().then(
      (reason) => {
        stopReason = reason;
      },
      (err: unknown) => {
        failure = err;
      },
    ).finally(() => {
      finished = true;
      wake?.();
    });

    try {
      while (true) {
        const text = pending.shift();
        if (text !== undefined) {
          yield { type: 'text', text };
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (failure !== undefined) throw failure;
      yield { type: 'finish', reason: finishReason(stopReason), usage: { inputTokens, outputTokens } };
    } finally {
      outerSignal.removeEventListener('abort', onOuterAbort);
      if (!finished) controller.abort(aborted());
      await done; // the sequence is free again only once the generation has stopped
      if (this.opts.onPrompt) this.reportPrompt(this.opts.onPrompt, { ...prompt, sequenceTokens: shared.sequence.contextTokens });
    }
  }

  private reportPrompt(onPrompt: (prompt: LocalPrompt) => void, prompt: LocalPrompt): void {
    try {
      onPrompt(prompt);
    } catch (err) {
      this.logger?.warn?.({ err }, 'local: onPrompt failed');
    }
  }

  private toModelError(err: unknown, s: { aborted: boolean; timedOut: boolean; textStarted: boolean }): ModelError {
    if (s.aborted) return err instanceof ModelError && err.kind === 'aborted' ? err : aborted(err);
    if (s.timedOut) return err instanceof ModelError && err.kind === 'timeout' ? err : new ModelError('timeout', 'The local model took too long to reply.', { cause: err });
    if (err instanceof ModelError) return err;
    this.logger?.error?.({ err, model: this.modelPath }, 'local generation failed');
    return s.textStarted
      ? new ModelError('interrupted', 'The local model stopped in the middle of its reply.', { cause: err })
      : new ModelError('unknown', 'The local model failed to write a reply.', { cause: err });
  }
}

async function createSharedContext(model: LlamaModel, contextSize: number, threads: number): Promise<SharedContext> {
  const context = await model.createContext({ contextSize, threads, sequences: 1 });
  return { context, sequence: context.getSequence(), mutex: new Mutex() };
}

/** A chat wrapper's context as text: special tokens (BOS, EOS) as the model's text for them. */
function renderLlamaText(text: LlamaText, model: LlamaModel): string {
  return text.values.map((v) => (typeof v === 'string' ? v : v instanceof SpecialToken ? model.detokenize(v.tokenize(model.tokenizer), true) : v.value)).join('');
}

function finishReason(stopReason: string | undefined): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'eogToken' || stopReason === 'customStopTrigger' || stopReason === 'stopGenerationTrigger') return 'stop';
  return 'other';
}

function aborted(cause?: unknown): ModelError {
  return new ModelError('aborted', 'The reply was cancelled.', cause === undefined ? {} : { cause });
}

/** Rejects with the signal's reason as soon as it aborts (the promise itself carries on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** FIFO lock: generations on one context sequence run one at a time; a waiter can give up. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async acquire(signal: AbortSignal): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.tail = previous.then(() => mine);
    try {
      await untilAborted(previous, signal);
    } catch (err) {
      void previous.then(release); // give our turn away as soon as it comes
      throw err;
    }
    return release;
  }
}
