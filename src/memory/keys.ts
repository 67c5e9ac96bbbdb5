/**
 * Where a conversation store keeps things, after an optional `<namespace>:` prefix.
 *
 * Plain (SQLite, Postgres, memory): `c:<conversation>:m` for the meta, `c:<conversation>:t:<i>`
 * for turns, `r:<key>` for records. A meta key ends in `:m` and a turn key in `:t:<digits>`, so
 * no two conversations can share a key, whatever they contain.
 *
 * Hash-tagged (Redis): `{c:<conversation>}:m` and `{c:<conversation>}:t:<i>`. Redis Cluster
 * places a key by the text between its first `{` and the next `}`. Every key of a conversation
 * begins with the same `<namespace>:{c:<conversation>`, and the tag ends at the first `}` in it
 * or at the one after it, so all of them land in one slot and one script may write them together.
 */
export interface KeyLayout {
  meta(conversation: string): string;
  turn(conversation: string, index: number): string;
  record(key: string): string;
}

export function plainKeys(namespace?: string): KeyLayout {
  const prefix = namespace ? `${namespace}:` : '';
  return {
    meta: (conversation) => `${prefix}c:${conversation}:m`,
    turn: (conversation, index) => `${prefix}c:${conversation}:t:${index}`,
    record: (key) => `${prefix}r:${key}`,
  };
}

export function hashTaggedKeys(namespace?: string): KeyLayout {
  const prefix = namespace ? `${namespace}:` : '';
  return {
    meta: (conversation) => `${prefix}{c:${conversation}}:m`,
    turn: (conversation, index) => `${prefix}{c:${conversation}}:t:${index}`,
    record: (key) => `${prefix}r:${key}`,
  };
}
