import { LeaseBusyError, LeaseLostError, STORE_UNAVAILABLE, StoreConflictError, StoreUnavailableError } from '../memory/types.js';
import { RECORD_CONFLICT } from '../memory/records.js';
import { english, type Localized } from '../i18n/index.js';
import { ModelError } from '../model/types.js';
import { encodeAction } from './actions.js';
import { conversationKey, type ConversationRef } from './conversation.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import { ModelFailure } from './model-failure.js';

export interface EndingsLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * Exactly one end part: the end is held back until the command has finished all its work
 * (adapters stop reading at the end part, and work after it would otherwise never run); parts
 * after it are dropped; a thrown error becomes an 'error' part; no end becomes an empty 'done'.
 * A button whose action cannot be encoded is a programming error: it fails here, loudly, instead
 * of disappearing from the message.
 */
export async function* endedOnce(ref: ConversationRef, parts: AsyncIterable<ReplyPart>, log: EndingsLogger): AsyncGenerator<ReplyPart> {
  let end: ReplyPart | undefined;
  try {
    for await (const part of parts) {
      if (end) {
        log.warn({ conversation: conversationKey(ref), part: part.type }, 'a command sent a part after its end; it was dropped');
        continue;
      }
      if (part.type === 'done' || part.type === 'error') end = part;
      else {
        if (part.type === 'actions') for (const action of part.actions) encodeAction(action.run);
        yield part;
      }
    }
  } catch (err) {
    yield errorPart(err, ref, log);
    return;
  }
  yield end ?? { type: 'done', text: '' };
}

/**
 * The one sentence a failure gets; what is not for the user (a stack, a host, a path, a parser's
 * message) goes to the log: a refusal's cause, a model error's detail, a store error's own message.
 */
export function errorPart(err: unknown, ref: ConversationRef, log: EndingsLogger): Extract<ReplyPart, { type: 'error' }> {
  const partial = !!(err as { partial?: boolean } | null)?.partial;
  if (err instanceof UserFacingError) {
    if (err.cause !== undefined)
      log.warn({ err: err.cause, conversation: conversationKey(ref), refusal: err.message }, 'refused, for a reason the user does not see');
    return { type: 'error', code: err.code, message: err.message, ephemeral: true, ...(err.text ? { text: err.text } : {}) };
  }
  if (err instanceof ModelFailure) {
    log.warn({ err: err.error, kind: err.error.kind, conversation: conversationKey(ref) }, 'model failed');
    const said = modelText(err.error);
    if (!err.partial) return { type: 'error', code: 'model', message: err.error.message, partial: false, ...(said ? { text: said } : {}) };
    const text = { key: 'engine.cutOff', vars: { message: said ?? err.error.message } };
    return { type: 'error', code: 'model', message: english(text.key, text.vars), partial: true, text };
  }
  if (err instanceof ModelError) {
    log.warn({ err, kind: err.kind }, 'model unavailable');
    const said = modelText(err);
    return { type: 'error', code: 'model', message: err.message, ...(said ? { text: said } : {}) };
  }
  if (err instanceof StoreUnavailableError) {
    log.error({ err, conversation: conversationKey(ref) }, 'store unavailable');
    const message = partial ? english('engine.storePartial') : STORE_UNAVAILABLE;
    return { type: 'error', code: 'store', message, partial, text: { key: partial ? 'engine.storePartial' : 'engine.store' } };
  }
  if (err instanceof LeaseBusyError) {
    log.warn({ err, conversation: conversationKey(ref), waitedMs: err.waitedMs }, 'conversation busy in another process');
    return { type: 'error', code: 'busy', message: err.message, ...(err.message === BUSY ? { text: { key: 'engine.busy' } } : {}) };
  }
  if (err instanceof LeaseLostError || err instanceof StoreConflictError) {
    // Another process took the conversation (a lease that expired) or wrote first: nothing saved.
    log.warn({ err, conversation: conversationKey(ref) }, err instanceof LeaseLostError ? 'conversation lease lost' : 'commit conflict');
    const own = ownText(err);
    const text = own && partial ? { key: 'engine.notSaved', vars: { message: own } } : own;
    const message = partial ? english('engine.notSaved', { message: err.message }) : err.message;
    return { type: 'error', code: 'busy', message, partial, ...(text ? { text } : {}) };
  }
  log.error({ err, conversation: conversationKey(ref) }, 'unexpected error while handling a turn');
  return { type: 'error', code: 'internal', message: english('engine.internal'), partial, text: { key: 'engine.internal' } };
}

const BUSY = new LeaseBusyError('', 0).message;
const LOST = new LeaseLostError('').message;
const CONFLICT = new StoreConflictError('', undefined).message;

/** A lost lease's or a conflict's own sentence by key (a message made elsewhere stays as written). */
function ownText(err: LeaseLostError | StoreConflictError): Localized | undefined {
  if (err instanceof LeaseLostError) return err.message === LOST ? { key: 'engine.lost' } : undefined;
  if (err.message === CONFLICT) return { key: 'engine.conflict' };
  return err.message === RECORD_CONFLICT ? { key: 'engine.recordConflict' } : undefined;
}

/** A model error's sentence by key, where it has one (a backend's own; one made with only a message stays as written). */
function modelText(err: ModelError): Localized | undefined {
  return err.text ?? (err.message === english('engine.modelCancelled') ? { key: 'engine.modelCancelled' } : undefined);
}
