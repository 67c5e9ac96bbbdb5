import type { ReplyPart } from '../engine/parts.js';

/**
 * Passes a reply through and runs `save` once the reply has been committed, before its 'done'
 * part: a reply that fails saves nothing here either.
 */
export async function* thenSave(parts: AsyncIterable<ReplyPart>, save?: () => Promise<void>): AsyncGenerator<ReplyPart> {
  for await (const part of parts) {
    if (part.type === 'done' && save) await save();
    yield part;
  }
}
