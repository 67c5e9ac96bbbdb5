import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { requireState, withPlayer, withState } from './state.js';

/** `story join`: the speaker becomes a player (and may vote) without taking a turn. */
export async function* joinStory(session: Session): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  const already = state.players.some((p) => p.id === session.speaker.id);
  if (!already) await session.commitMeta(withState(session.meta, withPlayer(state, { id: session.speaker.id, name: session.speaker.name })));
  const name = session.speaker.name;
  yield* session.say(already ? session.t('story.join.already', { name }) : session.t('story.join.joined', { name }));
}
