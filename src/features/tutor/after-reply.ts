import type { ReplyPart } from '../../engine/parts.js';

/**
 * Passes a reply through and runs `save` once the reply has been committed, before its 'done'
 * part: a reply that fails saves nothing here either. If the save fails, the reply (already
 * saved) still ends normally, with a line saying the progress was not updated.
 */
export async function* thenSave(parts: AsyncIterable<ReplyPart>, save?: () => Promise<void>): AsyncGenerator<ReplyPart> {
  for await (const part of parts) {
    if (part.type === 'done' && save) {
      try {
        await save();
      } catch {
        yield { type: 'notice', text: 'Muse could not update your saved progress just now; the reply itself was saved.' };
      }
    }
    yield part;
  }
}
