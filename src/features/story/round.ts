import type { Turn } from '../../memory/types.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { storyBeat } from './beat.js';
import { overdue, POLL_JOB, ROUND_JOB, secondsLeft, shortId, withPlayer, withState, type Round, type StoryState, spokenIn } from './state.js';

/**
 * Action rounds (`/story new … rounds:on`): the first action after a beat opens a round; every
 * player's message until the window closes is collected (acknowledged briefly, not narrated),
 * then one beat weaves them together, naming each player. A second message from the same
 * player adds to their action.
 */
export async function* collectAction(session: Session, state: StoryState, text: string, lead: string[] = []): AsyncGenerator<ReplyPart> {
  const who = { id: session.speaker.id, name: session.speaker.name };
  const action = { ...who, text: text.replace(/\s*\n\s*/g, ' ') };
  const round = state.round;
  const actions = withAction(round?.actions ?? [], action);
  if (round && overdue(session, round)) {
    yield* closeRound(session, state, action);
    return;
  }
  let next: StoryState = withPlayer({ ...state }, who);
  delete next.poll;
  let opened = false;
  if (round) {
    next = { ...next, round: { ...round, actions } };
  } else {
    opened = true;
    next = { ...next, round: { id: shortId(), opensAt: session.now(), closesAt: session.now() + state.voteMs, actions: [action] } };
  }
  const r = next.round!;
  // The round's deadline is stored before the round opens (see storyBeat).
  if (opened) await session.scheduleAt(ROUND_JOB, r.closesAt, spokenIn(session, { roundId: r.id }));
  await session.commitMeta(withState(session.meta, next));
  if (state.poll) await session.cancel(POLL_JOB);
  const count = r.actions.length;
  const left = secondsLeft(session, r.closesAt);
  const ack = opened
    ? session.t('story.round.opened', { name: who.name, left, starter: state.starterName })
    : count === 1
      ? session.t('story.round.notedOne', { name: who.name, left })
      : session.t('story.round.noted', { name: who.name, count, left });
  yield* session.say([...lead, ack].join('\n\n'));
}

/** Characters of one player's part of a round (their messages joined): more is refused. */
export const MAX_ROUND_CHARS = 1000;

/** The round's actions with `action` added to its player's (a second message adds to the first). */
function withAction(actions: Round['actions'], action: Round['actions'][number]): Round['actions'] {
  const out = [...actions];
  const mine = out.findIndex((a) => a.id === action.id);
  const text = mine >= 0 ? `${out[mine]!.text} ${action.text}` : action.text;
  if (text.length > MAX_ROUND_CHARS) {
    throw UserFacingError.of('bad_input', 'story.round.tooLong', {
      n: text.length.toLocaleString('en-US'),
      max: MAX_ROUND_CHARS.toLocaleString('en-US'),
    });
  }
  if (mine >= 0) out[mine] = { ...out[mine]!, text };
  else out.push(action);
  return out;
}

/** The turn that asks for a round's narration; its first paragraph lists the actions (export). */
export function roundTurn(round: Round, at: number): Turn {
  const list = round.actions.map((a) => `- ${a.name}: ${a.text}`).join('\n');
  const names = round.actions.map((a) => a.name).join(', ');
  const text = `Actions this round:\n${list}\n\nNarrate one beat in which all of these actions happen together, naming each player (${names}).`;
  return { role: 'user', userId: 'story', name: 'Players', text, at, kind: 'story.round' };
}

/** Ends the round: one beat weaving every collected action (and `late`, one that came after the window). */
export async function* closeRound(session: Session, state: StoryState, late?: Round['actions'][number]): AsyncGenerator<ReplyPart> {
  const round = state.round;
  if (!round) return;
  const actions = late ? withAction(round.actions, late) : round.actions;
  const names = actions.map((a) => a.name).join(session.t('story.describe.nameSep'));
  const player = late ? { id: late.id, name: late.name } : undefined;
  yield* storyBeat(session, {
    turn: roundTurn({ ...round, actions }, session.now()),
    lead: [session.t('story.round.closed', { names })],
    ...(player ? { player } : {}),
  });
}
