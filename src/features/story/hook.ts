import type { TurnHook } from '../../engine/feature.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { storyBeat } from './beat.js';
import { collectAction } from './round.js';
import { activeStory, overdue, type StoryState } from './state.js';
import { castVote, decide } from './vote.js';

const BARE_NUMBER = /^\s*([1-9１-９])\s*$/u;

/** A message that is only a number ("2", "２"), as typed in the terminal to pick a choice. */
export function bareNumber(text: string): number | undefined {
  const m = BARE_NUMBER.exec(text);
  if (!m) return undefined;
  return Number.parseInt(
    m[1]!.replace(/[１-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48)),
    10,
  );
}

/**
 * Plain messages while a story is told (the conversation's persona is a storyteller and a story
 * was started): a bare number while a vote is open is a vote; anything else is the player's
 * action, which cancels an open vote (or closes an overdue one first), joins an action round,
 * or becomes the next beat. Other conversations are left alone.
 */
export const storyTurnHook: TurnHook = (session, text) => {
  let state: StoryState | undefined;
  try {
    state = activeStory(session);
  } catch {
    return undefined; // no persona could be loaded: let the plain turn report it
  }
  if (!state) return undefined;
  const n = bareNumber(text);
  if (state.poll && n !== undefined) return castVote(session, n);
  return playerAction(session, state, text);
};

export function playerAction(session: Session, state: StoryState, text: string): AsyncIterable<ReplyPart> {
  const who = { id: session.speaker.id, name: session.speaker.name };
  if (state.poll && overdue(session, state.poll)) return decide(session, state, { then: { ...who, text } });
  const lead = state.poll ? [session.t('story.start.ownAction', { name: who.name })] : [];
  if (state.rounds && state.voteMs > 0) return collectAction(session, state, text, lead);
  return storyBeat(session, { turn: session.userTurn(text, 'message'), lead, player: who });
}
