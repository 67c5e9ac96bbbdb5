import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { hashTaggedKeys, plainKeys } from '../../src/memory/keys.js';
import type { KeyLayout } from '../../src/memory/keys.js';

/** What Redis Cluster hashes for a key (the hash tags section of the cluster spec). */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

const namespace = fc.constantFrom(undefined, 'muse', 'muse-test', 'a}b', 'x{y');
const conversation = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.array(fc.constantFrom('{', '}', ':', 'm', 't', '0', 'c'), { maxLength: 8 }).map((parts) => parts.join('')),
);
const index = fc.nat({ max: 10_000 });

describe('key layouts', () => {
  test.prop([namespace, conversation, fc.array(index, { maxLength: 5 })])(
    'put every key of a conversation, its lease included, in one Redis Cluster slot',
    (ns, c, indexes) => {
      const keys = hashTaggedKeys(ns);
      const tag = hashedPart(keys.meta(c));
      for (const i of indexes) expect(hashedPart(keys.turn(c, i))).toBe(tag);
      expect(hashedPart(keys.lease(c))).toBe(tag);
      expect(hashedPart(keys.fence(c))).toBe(tag);
    },
  );

  for (const [name, layout] of [
    ['plain', plainKeys],
    ['hash-tagged', hashTaggedKeys],
  ] as const) {
    test.prop([namespace, conversation, conversation, index, index, fc.string()])(
      `${name}: never gives two different things one key`,
      (ns, c1, c2, i1, i2, record) => {
        const keys: KeyLayout = layout(ns);
        const all = (c: string, i: number): string[] => [keys.meta(c), keys.turn(c, i), keys.lease(c), keys.fence(c)];
        if (c1 !== c2) for (const key of all(c1, i1)) expect(all(c2, i2)).not.toContain(key);
        if (i1 !== i2) expect(keys.turn(c1, i1)).not.toBe(keys.turn(c1, i2));
        expect(new Set(all(c1, i1)).size).toBe(4);
        expect(all(c1, i1)).not.toContain(keys.record(record));
        expect(all(c1, i1)).not.toContain(keys.dedupe(record));
        expect(keys.record(record)).not.toBe(keys.dedupe(record));
      },
    );
  }
});
