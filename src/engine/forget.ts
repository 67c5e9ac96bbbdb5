import { randomUUID } from 'node:crypto';
import { emptyMeta, type ConversationMeta } from '../memory/types.js';
import type { ConversationRef } from './conversation.js';
import type { WindowCache } from './window-cache.js';
import type { FencedWriter } from './writer.js';

/** What forgetting needs of a session (structurally a Session). */
interface Forgetting {
  readonly key: string;
  readonly ref: ConversationRef;
  meta: ConversationMeta;
  now(): number;
}

/** What forgetting needs of the session's deps (structurally SessionDeps). */
interface ForgetDeps<S> {
  defaultPersona: string;
  cache: Pick<WindowCache, 'forget'>;
  engine: { cancelAll(ref: ConversationRef): Promise<void> };
  store: { deleteTurns(key: string, from: number, to: number): Promise<void>; clear(key: string): Promise<void> };
  forget(session: S): Promise<void>;
}

/**
 * Forgets a conversation: its turns, summary, persona and settings, its jobs, and what the
 * features keep for it. The meta is first reset (fenced, like every commit, so a late clear
 * cannot wipe a newer turn) to one that starts after the old turns, which are then deleted, and
 * at last the meta itself goes: nothing in the store names the conversation any more. A late
 * commit of a turn that outlived its lease stays refused by the lease's fencing token.
 * Returns the meta the session has from then on.
 */
export async function forgetConversation<S extends Forgetting>(session: S, deps: ForgetDeps<S>, writes: FencedWriter): Promise<ConversationMeta> {
  const m = session.meta;
  const cleared: ConversationMeta = {
    ...emptyMeta(deps.defaultPersona),
    count: m.count,
    base: m.count,
    summarizedUpTo: m.count,
    updatedAt: session.now(),
    rev: randomUUID(),
  };
  await writes.putMeta(cleared);
  deps.cache.forget(session.key);
  session.meta = cleared;
  await deps.engine.cancelAll(session.ref);
  await deps.store.deleteTurns(session.key, 0, m.count);
  await deps.forget(session);
  await deps.store.clear(session.key);
  return emptyMeta(deps.defaultPersona);
}
