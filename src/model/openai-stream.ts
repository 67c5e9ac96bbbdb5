import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FinishReason, Usage } from './types.js';

/**
 * Pure mappings from a Chat Completions stream back to Muse's parts. Compatible servers differ:
 * a chunk may have no choices (the usage chunk), null content, or no finish_reason at all.
 */

export interface ChunkReading {
  /** Non-empty text of the chunk's first choice. */
  text?: string;
  finish?: FinishReason;
  usage?: Usage;
}

export function readChunk(chunk: ChatCompletionChunk): ChunkReading {
  const reading: ChunkReading = {};
  const u = (chunk as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null }).usage;
  if (u) {
    const usage: Usage = {};
    if (typeof u.prompt_tokens === 'number') usage.inputTokens = u.prompt_tokens;
    if (typeof u.completion_tokens === 'number') usage.outputTokens = u.completion_tokens;
    reading.usage = usage;
  }
  const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
  if (choice?.finish_reason) reading.finish = mapFinish(choice.finish_reason);
  const text = choice?.delta?.content;
  if (typeof text === 'string' && text.length > 0) reading.text = text;
  return reading;
}

export function mapFinish(reason: string): FinishReason {
  if (reason === 'stop' || reason === 'eos' || reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  if (reason === 'length' || reason === 'max_tokens') return 'length';
  return 'other';
}
