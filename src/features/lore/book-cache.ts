import { LRUCache } from 'lru-cache';
import { entryChars } from './caps.js';
import type { CompiledBook } from './select.js';

/** Compiled books kept in process by default: 32 MB, by the size of their text. */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

/** A conversation's compiled book and the book revision it was compiled from. */
export interface CachedBook {
  rev: string;
  compiled: CompiledBook;
}

export type BookCache = LRUCache<string, CachedBook>;

/**
 * About the bytes a compiled book holds: each entry's injected line and its entry's key,
 * aliases and text (UTF-16, two bytes a character), plus a little for the objects and the name
 * index. An estimate that grows with the book, which is what the cache's bound needs.
 */
export function compiledBytes(book: CompiledBook): number {
  let bytes = 64;
  for (const { entry, line } of book.entries) bytes += 2 * (line.length + entryChars(entry)) + 200;
  return bytes;
}

/**
 * Compiled books by conversation, least recently used dropped first, bounded in bytes rather
 * than in books: many small books or a few large ones. A book larger than the whole cache is
 * not kept (it is compiled for each reply).
 */
export function createBookCache(maxBytes = DEFAULT_CACHE_BYTES): BookCache {
  return new LRUCache<string, CachedBook>({ maxSize: maxBytes, sizeCalculation: (value) => compiledBytes(value.compiled) });
}
