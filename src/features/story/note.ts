import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { requireState, withState } from './state.js';

/** The longest author's note. */
export const MAX_NOTE = 500;

/**
 * `story note [text]`: sets the story's author's note, a short steering note that goes with every
 * request near its end (as data, see prompt.ts); without text it clears it. Anyone who may take
 * a turn may steer.
 */
export async function* setNote(session: Session, text: string | undefined): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  const note = text?.trim() ?? '';
  const next = { ...state };
  if (note) next.note = note;
  else delete next.note;
  if (!note && !state.note) {
    yield* session.say(session.t('story.note.nothingToClear'));
    return;
  }
  await session.commitMeta(withState(session.meta, next));
  yield* session.say(note ? session.t('story.note.set', { note }) : session.t('story.note.cleared'));
}
