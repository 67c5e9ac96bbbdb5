import type { JobHandler } from '../../engine/jobs.js';
import { closeRound } from './round.js';
import { overdue, POLL_JOB, readState, ROUND_JOB, type StoryDeps } from './state.js';
import { decide } from './vote.js';

/**
 * The story's scheduled jobs: a vote window or an action round closing. They run under the
 * conversation's lock, as Muse, and speak through the platform's outbox. Each checks the story
 * first: a window that was already decided, replaced or cancelled (by the last vote, a touch,
 * /story close, a new beat) is left alone, so a window is announced once.
 */
export function storyJobs(deps: StoryDeps): Record<string, JobHandler> {
  return {
    [POLL_JOB]: async function* (session, job) {
      const state = readState(session.meta);
      const poll = state?.poll;
      // This job's poll, or one whose time is up anyway (its own job was lost to a failed write).
      if (!state || !poll || (poll.id !== job.data.pollId && !overdue(session, poll))) return;
      yield* decide(session, deps, state);
    },
    [ROUND_JOB]: async function* (session, job) {
      const state = readState(session.meta);
      const round = state?.round;
      if (!state || !round || (round.id !== job.data.roundId && !overdue(session, round))) return;
      yield* closeRound(session, deps, state);
    },
  };
}
