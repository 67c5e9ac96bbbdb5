import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage, ModelRequest } from './types.js';

/** Pure mappings from Muse's provider-neutral request to a streaming Chat Completions body. */

/** The names OpenAI accepts on a message; others are left out rather than refused. */
const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

export function toBody(model: string, request: ModelRequest): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages.map(toMessage),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  // max_tokens, not max_completion_tokens: most compatible servers only know the former.
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) body.stop = request.stop;
  return body;
}

export function toMessage(m: ChatMessage): ChatCompletionMessageParam {
  const name = m.name !== undefined && NAME_RE.test(m.name) ? { name: m.name } : {};
  return { role: m.role, content: m.content, ...name };
}
