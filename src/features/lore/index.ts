export { createLoreProvider, type LoreProviderOptions } from './provider.js';
export type { LoreEntry, LoreBook, LoreWhy } from './types.js';
