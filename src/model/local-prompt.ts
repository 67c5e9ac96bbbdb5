import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage } from './types.js';

/**
 * Pure mappings from Muse's provider-neutral messages to what node-llama-cpp takes.
 *
 * Chat models (GGUF with `tokenizer.chat_template`): a chat history that the model's own chat
 * wrapper formats. Base models (no template, e.g. the tiny stories260K test model): a raw
 * completion prompt, because a base model cannot follow instructions or read a transcript.
 */

/** The opening used when a base model must start a story from nothing. */
export const STORY_OPENING = 'Once upon a time';

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'user') history.push({ type: 'user', text: m.name ? `${m.name}: ${m.content}` : m.content });
    else history.push({ type: 'model', response: [m.content] });
  }
  // The model answers in a (new or continued) model turn at the end.
  if (history[history.length - 1]?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

export interface CompletionPrompt {
  /** Text fed to the model. */
  prompt: string;
  /** Text that is part of the reply but was written by us, not the model (streamed first). */
  opening: string;
}

/**
 * A base model only continues text, so the prompt is the story so far: the assistant turns'
 * text, in order. System prompts and user turns are left out (an instruction or a question
 * pasted into a story derails a base model). If there is no story yet, the reply starts with
 * "Once upon a time", which is both the prompt and the first words of the reply.
 */
export function toCompletionPrompt(messages: readonly ChatMessage[]): CompletionPrompt {
  const story = messages
    .filter((m) => m.role === 'assistant')
    .map((m) => m.content.trim())
    .filter((t) => t !== '')
    .join('\n');
  if (story === '') return { prompt: STORY_OPENING, opening: STORY_OPENING };
  const last = messages[messages.length - 1];
  // After a user turn, the reply is a new paragraph; after an assistant turn, it continues it.
  return { prompt: last?.role === 'assistant' ? story : `${story}\n`, opening: '' };
}
