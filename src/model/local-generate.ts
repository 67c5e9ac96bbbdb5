import { LlamaChat, LlamaCompletion, SpecialToken, type ChatWrapper, type LlamaModel, type LlamaText, type Token } from 'node-llama-cpp';
import type { Deadline } from '../util/deadline.js';
import { finishReason } from './local-errors.js';
import { toChatHistory, toCompletionPrompt } from './local-prompt.js';
import type { LocalLease } from './local-runtime.js';
import type { ModelPart, ModelRequest } from './types.js';

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

/** A backend's loaded model: its lease on the runtime and how it formats prompts. */
export interface LoadedModel {
  lease: LocalLease;
  /** The model's chat wrapper, or null for raw completion (base models). */
  chatWrapper: ChatWrapper | null;
}

const DEFAULT_TEMPERATURE = 0.8;

interface GenerationOptions {
  signal: AbortSignal;
  temperature: number;
  maxTokens: number;
  customStopTriggers: Array<string | Token[]>;
  onTextChunk(text: string): void;
  onToken(tokens: Token[]): void;
}

/**
 * One reply on the lease's sequence (the caller holds its lock): text parts as node-llama-cpp
 * writes them, then one finish part with usage. The deadline's signal stops the generation; no
 * text is yielded once it has ended, and a consumer that stops reading ends it too (cancel()).
 * `report` gets the prompt once the model is done with it.
 */
export async function* generate(
  loaded: LoadedModel,
  request: ModelRequest,
  deadline: Deadline,
  report?: (prompt: LocalPrompt) => void,
): AsyncGenerator<ModelPart> {
  const { lease } = loaded;
  const signal = deadline.signal;
  if (signal.aborted) throw signal.reason;
  const pending: string[] = [];
  let wake: (() => void) | undefined;
  let outputTokens = 0;
  const stopTokens = [lease.model.tokens.bos, lease.model.tokens.eos].filter((t): t is Token => t != null);
  const options: GenerationOptions = {
    signal,
    temperature: request.temperature ?? DEFAULT_TEMPERATURE,
    // A reply ends by the context size at the latest: a base model given a chat template may
    // never write the template's stop (the tiny test model never writes <|im_end|>).
    maxTokens: Math.max(1, request.maxOutputTokens ?? lease.context.contextSize),
    customStopTriggers: [...(request.stop ?? []).filter((s) => s !== ''), ...stopTokens.map((t) => [t])],
    onTextChunk: (text) => {
      if (text === '') return;
      pending.push(text);
      wake?.();
    },
    onToken: (tokens) => {
      outputTokens += tokens.length;
    },
  };

  const { prompt, opening, run } = prepare(loaded, request, options);
  if (opening !== '') pending.push(opening);
  const inputTokens = Math.min(prompt.tokens.length, lease.context.contextSize);

  let finished = false;
  let stopReason: string | undefined;
  let failure: { error: unknown } | undefined;
  const done = run()
    .then(
      (reason) => {
        stopReason = reason;
      },
      (err: unknown) => {
        failure = { error: err };
      },
    )
    .finally(() => {
      finished = true;
      wake?.();
    });

  try {
    while (true) {
      if (signal.aborted) throw signal.reason; // nothing more after a cancel or the deadline
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
    if (failure) throw failure.error;
    yield { type: 'finish', reason: finishReason(stopReason), usage: { inputTokens, outputTokens } };
  } finally {
    if (!finished) deadline.cancel(); // e.g. the consumer stopped reading
    await done; // the sequence is free again only once the generation has stopped
    report?.({ ...prompt, sequenceTokens: lease.sequence.contextTokens });
  }
}

/** The prompt, any opening we write ourselves, and the call that generates on the sequence. */
function prepare(
  loaded: LoadedModel,
  request: ModelRequest,
  options: GenerationOptions,
): { prompt: Omit<LocalPrompt, 'sequenceTokens'>; opening: string; run: () => Promise<string> } {
  const { lease, chatWrapper } = loaded;
  const model = lease.model;
  if (chatWrapper) {
    const history = toChatHistory(request.messages);
    const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
    const prompt = { chatWrapper: chatWrapper.wrapperName, text: renderLlamaText(contextText, model), tokens: contextText.tokenize(model.tokenizer) };
    const run = () => {
      const chat = new LlamaChat({ contextSequence: lease.sequence, chatWrapper });
      return chat
        .generateResponse(history, options)
        .then((r) => r.metadata.stopReason)
        .finally(() => chat.dispose({ disposeSequence: false }));
    };
    return { prompt, opening: '', run };
  }
  const completion = toCompletionPrompt(request.messages);
  // LlamaCompletion prepends BOS (when the model wants one) to the prompt's tokens.
  const bos = model.tokens.bos != null && model.tokens.shouldPrependBosToken ? [model.tokens.bos] : [];
  const tokens = [...bos, ...model.tokenize(completion.prompt, false, 'trimLeadingSpace')];
  const prompt = { chatWrapper: null, text: model.detokenize(bos, true) + completion.prompt, tokens };
  const run = () => {
    const generator = new LlamaCompletion({ contextSequence: lease.sequence });
    return generator
      .generateCompletionWithMeta(completion.prompt, options)
      .then((r) => r.metadata.stopReason)
      .finally(() => generator.dispose());
  };
  return { prompt, opening: completion.opening, run };
}

/** A chat wrapper's context as text: special tokens (BOS, EOS) as the model's text for them. */
function renderLlamaText(text: LlamaText, model: LlamaModel): string {
  return text.values
    .map((v) => (typeof v === 'string' ? v : v instanceof SpecialToken ? model.detokenize(v.tokenize(model.tokenizer), true) : v.value))
    .join('');
}
