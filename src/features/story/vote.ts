import type { Turn } from '../../memory/types.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { english, type Translate } from '../../i18n/index.js';
import { storyBeat } from './beat.js';
import { mayVote, overdue, POLL_JOB, requireState, secondsLeft, withState, type Poll, type StoryPlayer, type StoryState } from './state.js';

export interface Tally {
  /** 0-based index of the winning choice. */
  winner: number;
  /** Voters' names per choice. */
  voters: string[][];
  total: number;
  tie?: 'starter' | 'random';
}

/**
 * Majority wins; a tie goes to the choice the story's starter voted for when it is one of the
 * tied ones, else to a random one of them. No votes: no result.
 */
export function tally(poll: Poll, starterId: string, random: () => number): Tally | undefined {
  const voters: string[][] = poll.choices.map(() => []);
  for (const vote of Object.values(poll.votes)) voters[vote.choice - 1]?.push(vote.name);
  const total = voters.reduce((n, v) => n + v.length, 0);
  if (total === 0) return undefined;
  const best = Math.max(...voters.map((v) => v.length));
  const tied = voters.flatMap((v, k) => (v.length === best ? [k] : []));
  if (tied.length === 1) return { winner: tied[0]!, voters, total };
  const starterChoice = poll.votes[starterId]?.choice;
  if (starterChoice !== undefined && tied.includes(starterChoice - 1)) return { winner: starterChoice - 1, voters, total, tie: 'starter' };
  const pick = tied[Math.min(tied.length - 1, Math.floor(random() * tied.length))]!;
  return { winner: pick, voters, total, tie: 'random' };
}

/** Who voted for what ("Ann, Bo → 1; Cy → 2"), in the language of `t` (English for the model). */
function whoVoted(result: Tally, t: Translate = english): string {
  return result.voters
    .map((names, k) => (names.length ? t('story.vote.voters', { names: names.join(t('story.vote.nameSep')), n: k + 1 }) : ''))
    .filter(Boolean)
    .join(t('story.vote.groupSep'));
}

/** The sentence announcing a vote's result, with who voted for what, in the language of `t`. */
export function resultSentence(poll: Poll, result: Tally, state: StoryState, t: Translate = english): string {
  const choice = poll.choices[result.winner]!;
  const count = result.voters[result.winner]!.length;
  const tie = result.tie === 'starter' ? t('story.vote.tieStarter', { name: state.starterName }) : result.tie === 'random' ? t('story.vote.tieRandom') : '';
  const vars = { n: result.winner + 1, choice, count, total: result.total, tie, votes: whoVoted(result, t) };
  return result.total === 1 ? t('story.vote.resultOne', vars) : t('story.vote.result', vars);
}

/**
 * The turn that asks for the next beat after a vote. Its first paragraph is the record of the
 * vote (the export shows it between beats); the rest tells the narrator what to follow.
 */
export function voteTurn(poll: Poll, result: Tally, at: number, then?: { name: string; text: string }): Turn {
  const choice = poll.choices[result.winner]!;
  let text = `Vote: "${choice}" won (${whoVoted(result)}).\n\nThe players chose: ${choice}. Narrate what happens next, following this choice.`;
  if (then) text += `\nThen ${then.name} acts: ${then.text}`;
  return { role: 'user', userId: 'story', name: 'Vote', text, at, kind: 'story.vote' };
}

/**
 * Closes the open poll: announces the result and writes the next beat following the chosen
 * option (and `then`, an action that arrived after the window). No votes: says so and waits.
 */
export async function* decide(
  session: Session,
  state: StoryState,
  opts: { lead?: string[]; then?: StoryPlayer & { text: string } } = {},
): AsyncGenerator<ReplyPart> {
  const poll = state.poll;
  if (!poll) return;
  const result = tally(poll, state.starterId, () => session.random());
  const lead = opts.lead ?? [];
  if (!result) {
    if (opts.then) {
      const { text, ...player } = opts.then;
      yield* storyBeat(session, { turn: session.userTurn(text, 'message'), lead: [...lead, session.t('story.vote.noVotes')], player });
      return;
    }
    const next = { ...state };
    delete next.poll;
    await session.commitMeta(withState(session.meta, next));
    await session.cancel(POLL_JOB);
    yield* session.say([...lead, session.t('story.vote.noVotesNext')].join('\n\n'));
    return;
  }
  const announce = resultSentence(poll, result, state, session.t);
  const turn = voteTurn(poll, result, session.now(), opts.then);
  const player = opts.then ? { id: opts.then.id, name: opts.then.name } : undefined;
  yield* storyBeat(session, { turn, lead: [...lead, announce], ...(player ? { player } : {}) });
}

/** Whether every player of the story has a vote in its open poll. */
export function everyoneVoted(state: StoryState): boolean {
  const votes = state.poll?.votes ?? {};
  return state.players.length > 0 && state.players.every((p) => votes[p.id] !== undefined);
}

/**
 * A vote by the speaker for choice `n` (1-based) of the open poll (`pollId` from a button). The
 * vote that completes it (every player has voted, or the first one with vote:0) decides at once:
 * the result and the next beat are this reply.
 */
export async function* castVote(session: Session, n: number, pollId?: string): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  const poll = state.poll;
  if (!poll) throw UserFacingError.of('bad_input', 'story.vote.noneOpen');
  if (pollId && pollId !== poll.id) throw UserFacingError.of('bad_input', 'story.vote.over');
  if (!mayVote(session, state)) throw UserFacingError.of('forbidden', 'story.vote.playersOnly');
  if (overdue(session, poll)) {
    yield* decide(session, state, { lead: [session.t('story.vote.late', { name: session.speaker.name })] });
    return;
  }
  if (!Number.isInteger(n) || n < 1 || n > poll.choices.length) {
    throw UserFacingError.of('bad_input', 'story.vote.range', { n: poll.choices.length });
  }
  const previous = poll.votes[session.speaker.id];
  const votes = { ...poll.votes, [session.speaker.id]: { choice: n, name: session.speaker.name } };
  const next: StoryState = { ...state, poll: { ...poll, votes } };
  // The first vote decides with vote:0; otherwise the vote ends once every player has voted.
  if (state.voteMs === 0 || everyoneVoted(next)) {
    yield* decide(session, next);
    return;
  }
  await session.commitMeta(withState(session.meta, next));
  const count = Object.keys(votes).length;
  const changed = previous && previous.choice !== n ? session.t('story.vote.changed', { from: previous.choice }) : '';
  const vars = { name: session.speaker.name, n, choice: poll.choices[n - 1]!, changed, count, left: secondsLeft(session, poll.closesAt) };
  // Only the voter sees the acknowledgement (in a DM or the terminal that is everyone).
  yield* session.say(count === 1 ? session.t('story.vote.ackOne', vars) : session.t('story.vote.ack', vars), true);
}
