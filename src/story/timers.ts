import type { Session } from '../engine/session.js';
import { closeRound } from './round.js';
import { POLL_TIMER, readState, ROUND_TIMER, type StoryDeps } from './state.js';
import { decide } from './vote.js';

/**
 * Window timers run on the engine's clock and speak through the platform's outbox. They live in
 * this process only: after a restart an overdue poll or round is closed by the next turn, vote
 * or /story close in that conversation (see hook.ts and vote.ts).
 */
export function closePollLater(session: Session, deps: StoryDeps, pollId: string, delayMs: number): void {
  session.later(POLL_TIMER, delayMs, async function* (later) {
    const state = readState(later.meta);
    if (state?.poll?.id !== pollId) return; // already decided or replaced
    yield* decide(later, deps, state);
  });
}

export function closeRoundLater(session: Session, deps: StoryDeps, roundId: string, delayMs: number): void {
  session.later(ROUND_TIMER, delayMs, async function* (later) {
    const state = readState(later.meta);
    if (state?.round?.id !== roundId) return;
    yield* closeRound(later, deps, state);
  });
}
