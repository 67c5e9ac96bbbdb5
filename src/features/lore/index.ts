import type { Feature } from '../../engine/feature.js';
import { bookKey, whyKey } from './book.js';
import { createLoreSlot, type LoreSlotOptions } from './provider.js';
import { loreSentences } from './sentences.js';

export type { LoreEntry, LoreBook, LoreWhy } from './types.js';
export { LORE_LABEL, type LoreSlotOptions } from './provider.js';

/**
 * The story bible: entries kept per conversation (a record, not settings) and the ones that
 * matter put into each reply's context. `options` tune the context slot.
 */
export function createLoreFeature(options: LoreSlotOptions = {}): Feature {
  return {
    name: 'lore',
    sentences: loreSentences,
    context: () => createLoreSlot(options),
    // The book and what the last reply used are records of their own.
    async forget(session) {
      await session.deleteRecord(bookKey(session.key));
      await session.deleteRecord(whyKey(session.key));
    },
  };
}

export const loreFeature: Feature = createLoreFeature();
