/**
 * World Info files of a given size, shaped to hit each cap of `/lore import` (see
 * src/features/lore/caps.ts): shared by the import tests and `bench/hostile.ts`.
 */
export const WORLD_INFO_SHAPES = ['many small entries', 'within the caps', 'long entries', 'many aliases'] as const;
export type WorldInfoShape = (typeof WORLD_INFO_SHAPES)[number];

/** A SillyTavern World Info file of `n` distinct entries (`chars` characters of content each). */
export function worldInfo(n: number, chars = 60, extra: (i: number) => Record<string, unknown> = () => ({})): Buffer {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    entries[i] = { key: [`place ${i}`, `the ${i}th place`], content: `Place ${i}: ${'a quiet street '.repeat(chars / 14 + 1)}`.slice(0, chars), ...extra(i) };
  return Buffer.from(JSON.stringify({ entries }));
}

/** A World Info file of about `bytes` bytes. */
export function worldInfoOfSize(shape: WorldInfoShape, bytes: number): Buffer {
  switch (shape) {
    case 'many small entries':
      return worldInfo(Math.ceil(bytes / 125));
    case 'within the caps': {
      // 1,000 entries of 1,900 characters (under 2,000,000 in all), padded with disabled entries.
      const kept = 1000;
      const padding = Math.max(0, Math.ceil((bytes - kept * 1960) / 2000));
      return worldInfo(kept + padding, 1900, (i) => (i >= kept ? { disable: true } : {}));
    }
    case 'long entries':
      return worldInfo(Math.ceil(bytes / 7060), 7000);
    case 'many aliases': {
      const names = Array.from({ length: Math.ceil(bytes / 15) }, (_, i) => `alias ${i}`);
      return Buffer.from(JSON.stringify({ entries: { 0: { key: names, content: 'One place with a great many names.' } } }));
    }
  }
}
