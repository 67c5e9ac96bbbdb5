/**
 * Where a conversation store keeps things, after an optional `<namespace>:` prefix.
 *
 * Plain (SQLite, Postgres, memory): `c:<conversation>:m` for the meta, `c:<conversation>:t:<i>`
 * for turns, `c:<key>:lease` for a lease (Postgres: a row of the leases table), `r:<key>` for
 * records, `d:<key>` for dedupe claims. A meta key ends in `:m`, a turn key in `:t:<digits>`, a
 * lease in `:lease` and a fence counter in `:fence`, so no two conversations can share a key,
 * whatever they contain.
 *
 * Hash-tagged (Redis): `{c:<conversation>}:m`, `{c:<conversation>}:t:<i>`, and the lease on a
 * conversation `{c:<conversation>}:lease` with its fence counter `{c:<conversation>}:fence`
 * (so the fenced commit script may read the lease while it writes the meta). Redis Cluster
 * places a key by the text between its first `{` and the next `}`. Every key of a conversation
 * begins with the same `<namespace>:{c:<conversation>`, and the tag ends at the first `}` in it
 * or at the one after it, so all of them land in one slot and one script may write them together.
 */
export interface KeyLayout {
  meta: (conversation: string) => string;
  turn: (conversation: string, index: number) => string;
  record: (key: string) => string;
  /** The lease on `key` (a conversation, when commits are fenced by it). */
  lease: (key: string) => string;
  /** The counter that numbers the lease's holders (fencing tokens). */
  fence: (key: string) => string;
  /** A dedupe claim. */
  dedupe: (key: string) => string;
}

export function plainKeys(namespace?: string): KeyLayout {
  const prefix = namespace ? `${namespace}:` : '';
  return {
    meta: (conversation) => `${prefix}c:${conversation}:m`,
    turn: (conversation, index) => `${prefix}c:${conversation}:t:${index}`,
    record: (key) => `${prefix}r:${key}`,
    lease: (key) => `${prefix}c:${key}:lease`,
    fence: (key) => `${prefix}c:${key}:fence`,
    dedupe: (key) => `${prefix}d:${key}`,
  };
}

export function hashTaggedKeys(namespace?: string): KeyLayout {
  const prefix = namespace ? `${namespace}:` : '';
  return {
    meta: (conversation) => `${prefix}{c:${conversation}}:m`,
    turn: (conversation, index) => `${prefix}{c:${conversation}}:t:${index}`,
    record: (key) => `${prefix}r:${key}`,
    lease: (key) => `${prefix}{c:${key}}:lease`,
    fence: (key) => `${prefix}{c:${key}}:fence`,
    dedupe: (key) => `${prefix}d:${key}`,
  };
}
