import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { dropArchive } from './archive.js';
import { storyBeat, storyActions } from './beat.js';
import { matureAllowed } from './prompt.js';
import { DEFAULT_VOTE_MS, isStarter, overdue, readState, type Rating, type StoryState } from './state.js';
import { decide } from './vote.js';

export interface NewStory {
  premise: string;
  /** Who narrates (default: storyteller). */
  persona?: string | undefined;
  /** The voting window in seconds (default 60; 0: the first vote decides). */
  voteSeconds?: number | undefined;
  /** Collect everyone's actions for the window, then narrate them together. */
  rounds?: boolean;
  rating?: Rating | undefined;
}

/**
 * `story new`: a fresh story with its opening beat. In a shared channel, naming a persona other
 * than the channel's, or one that does not tell stories, changes the channel's persona: that
 * needs a manager. The previous story's kept versions go when its starter (or a manager) starts
 * the new one; otherwise they are kept as an earlier story's.
 */
export async function* startStory(session: Session, opts: NewStory): AsyncGenerator<ReplyPart> {
  const persona = await session.requirePersona(opts.persona ?? 'storyteller');
  if (opts.persona !== undefined && (persona.name !== session.meta.persona || persona.mode !== 'story')) {
    const story = persona.mode === 'story';
    await session.requireManager(
      story
        ? { key: 'story.start.whatPersona', vars: { name: persona.name, current: session.meta.persona } }
        : { key: 'story.start.whatOtherPersona', vars: { name: persona.name } },
      story ? { key: 'story.start.insteadStory' } : { key: 'story.start.insteadNotStory', vars: { name: persona.name } },
    );
  }
  const voteMs = opts.voteSeconds === undefined ? DEFAULT_VOTE_MS : opts.voteSeconds * 1000;
  const rating = opts.rating;
  if (rating === 'mature' && !matureAllowed(session.ref, rating)) {
    throw UserFacingError.of('forbidden', 'story.start.mature');
  }
  const speaker = session.speaker;
  const startedAt = session.now();
  const story: StoryState = {
    premise: opts.premise,
    starterId: speaker.id,
    starterName: speaker.name,
    startedAt,
    id: `${startedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    voteMs,
    rounds: !!opts.rounds,
    players: [{ id: speaker.id, name: speaker.name }],
    ...(rating ? { rating } : {}),
  };
  const previous = readState(session.meta);
  const meta = session.freshMeta(persona, { story });
  yield* storyBeat(session, { meta, persona, turn: session.userTurn(`Begin a new story. Premise: ${opts.premise}`, 'story.new') });
  // The previous story has ended: the new beat replaced or cancelled its windows' jobs. Its kept
  // versions go only when its starter or a manager says so.
  if (previous && (isStarter(session, previous) || (await session.isManager()))) await dropArchive(session, previous);
}

/** `story continue`: the next beat without a player action, optionally in a direction. */
export async function* continueStory(session: Session, direction?: string): AsyncGenerator<ReplyPart> {
  const text = direction ? `Continue the story. Direction: ${direction}` : 'Continue the story.';
  const state = readState(session.meta);
  if (!state) {
    yield* session.reply({ turn: session.userTurn(text, 'story.continue'), actions: storyActions(session.t) });
    return;
  }
  if (state.round) throw UserFacingError.of('bad_input', 'story.start.roundOpen', { starter: state.starterName });
  const who = { id: session.speaker.id, name: session.speaker.name };
  if (state.poll && overdue(session, state.poll)) {
    yield* decide(session, state, { then: { ...who, text } });
    return;
  }
  const lead = state.poll ? [session.t('story.start.movedOn', { name: who.name })] : [];
  yield* storyBeat(session, { turn: session.userTurn(text, 'story.continue'), lead, player: who });
}
