import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage, ModelRequest } from './types.js';

/** Pure mappings from Muse's provider-neutral request to a streaming Chat Completions body. */

/** The names OpenAI accepts on a message; others are left out rather than refused. */
const NAME_RE = /^[a-zA-Z0-9_-]{1,64}$/;

/** `images`: the model sees images, so user messages carry theirs as image parts (else they are left out). */
export function toBody(model: string, request: ModelRequest, opts: { images?: boolean } = {}): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages.map((m) => toMessage(opts.images ? m : withoutImages(m))),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  // max_tokens, not max_completion_tokens: most compatible servers only know the former.
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) body.stop = request.stop;
  return body;
}

function withoutImages(m: ChatMessage): ChatMessage {
  return m.images ? { role: m.role, content: m.content, ...(m.name !== undefined ? { name: m.name } : {}) } : m;
}

export function toMessage(m: ChatMessage): ChatCompletionMessageParam {
  const name = m.name !== undefined && NAME_RE.test(m.name) ? { name: m.name } : {};
  if (m.role === 'user' && m.images?.length) {
    // The text first, then each picture as a data URL (no image leaves Muse as a link).
    const images = m.images.map((image) => ({
      type: 'image_url' as const,
      image_url: { url: `data:${image.mime};base64,${Buffer.from(image.data).toString('base64')}` },
    }));
    return { role: 'user', content: [{ type: 'text', text: m.content }, ...images], ...name };
  }
  return { role: m.role, content: m.content, ...name };
}
