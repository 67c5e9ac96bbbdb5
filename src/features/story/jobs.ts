import type { JobHandler } from '../../engine/feature.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { closeRound } from './round.js';
import { isStarter, overdue, POLL_JOB, readState, requireState, ROUND_JOB } from './state.js';
import { decide } from './vote.js';

/**
 * The story's scheduled jobs: a vote window or an action round closing. They run under the
 * conversation's lock, as Muse, and speak through the platform's outbox. Each checks the story
 * first: a window that was already decided, replaced or cancelled (by the last vote, a touch,
 * /story close, a new beat) is left alone, so a window is announced once.
 */
export const storyJobs: Readonly<Record<string, JobHandler>> = {
  [POLL_JOB]: async function* (session, job) {
    const state = readState(session.meta);
    const poll = state?.poll;
    // This job's poll, or one whose time is up anyway (its own job was lost to a failed write).
    if (!state || !poll || (poll.id !== job.data.pollId && !overdue(session, poll))) return;
    yield* decide(session, state);
  },
  [ROUND_JOB]: async function* (session, job) {
    const state = readState(session.meta);
    const round = state?.round;
    if (!state || !round || (round.id !== job.data.roundId && !overdue(session, round))) return;
    yield* closeRound(session, state);
  },
};

/** `story close`: the starter ends the open vote or action round now. */
export async function* closeWindow(session: Session): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  if (!state.poll && !state.round) throw UserFacingError.of('bad_input', 'story.close.nothing');
  if (!isStarter(session, state)) throw UserFacingError.of('forbidden', 'story.close.starterOnly', { name: state.starterName });
  // The window's job is cancelled once the result is saved (a failed close keeps it).
  if (state.poll) yield* decide(session, state);
  else yield* closeRound(session, state);
}
