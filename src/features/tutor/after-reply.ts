import type { ReplyPart } from '../../engine/parts.js';
import type { Translate } from '../../i18n/index.js';

/**
 * Passes a reply through and runs `save` once the reply has been committed, before its 'done'
 * part: a reply that fails saves nothing here either. If the save fails, the reply (already
 * saved) still ends normally, with a line saying the progress was not updated.
 */
export async function* thenSave(parts: AsyncIterable<ReplyPart>, t: Translate, save?: () => Promise<void>): AsyncGenerator<ReplyPart> {
  for await (const part of parts) {
    if (part.type === 'done' && save) {
      try {
        await save();
      } catch {
        yield { type: 'notice', text: t('tutor.saveFailed') };
      }
    }
    yield part;
  }
}
