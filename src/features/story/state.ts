import { randomUUID } from 'node:crypto';
import { UserFacingError } from '../../engine/parts.js';
import type { ConversationMeta } from '../../memory/types.js';
import type { Session } from '../../engine/session.js';

/**
 * A story's state lives in meta.settings.story (saved with the conversation's meta): its
 * options, its players, the last beat's versions, and the open vote or action round. Versions
 * of earlier beats and undone beats live in one record per story (see archive.ts).
 */

export interface StoryPlayer {
  id: string;
  name: string;
}

export interface BeatVersion {
  /** The narration, without the list of choices (what is stored as the reply). */
  text: string;
  choices: string[];
}

/** The last beat of the story and every version written for it. */
export interface CurrentBeat {
  /** Turn index of the reply. */
  index: number;
  versions: BeatVersion[];
  /** Which version is shown (and stored as the reply): it is canon when the story moves on. */
  shown: number;
}

export interface Vote {
  choice: number;
  name: string;
}

export interface Poll {
  id: string;
  choices: string[];
  opensAt: number;
  /** Equal to opensAt when the first vote decides. */
  closesAt: number;
  /** By player id. */
  votes: Record<string, Vote>;
}

export interface Round {
  id: string;
  opensAt: number;
  closesAt: number;
  actions: Array<{ id: string; name: string; text: string }>;
}

/** A character of the story's cast (see cast.ts). */
export interface CastMember {
  name: string;
  /** The persona whose description is the character's voice (its name, for `cast list`). */
  persona?: string;
  /** How the character speaks: the persona's description and the start of its prompt, as data for the narrator. */
  voice?: string;
  /** An https URL; without one the character posts with its name only. */
  avatarUrl?: string;
  /** Who added it (they may remove it; a manager may remove any). */
  addedBy: string;
}

export type Rating = 'all-ages' | 'mature';

/** The story's settings, in meta.settings.story. */
export interface StoryState {
  premise: string;
  starterId: string;
  starterName: string;
  startedAt: number;
  /** Chosen with `story new rating:`; `mature` is only accepted in age-restricted channels and DMs. */
  rating?: Rating;
  id: string;
  /** Vote and round window in milliseconds; 0: the first vote decides. */
  voteMs: number;
  rounds: boolean;
  players: StoryPlayer[];
  beat?: CurrentBeat;
  poll?: Poll;
  round?: Round;
  /** Characters who speak as themselves (cast.ts). */
  cast?: CastMember[];
  /** The author's note: a steering note placed near the end of every request (note.ts). */
  note?: string;
}

export const DEFAULT_VOTE_MS = 60_000;
/** The scheduled jobs that close a vote window and an action round (see jobs.ts). */
export const POLL_JOB = 'story.poll';
export const ROUND_JOB = 'story.round';

/** The story's settings as stored, possibly from an older version of Muse (fields missing). */
export function storedState(meta: ConversationMeta): Partial<StoryState> | undefined {
  return meta.settings.story as Partial<StoryState> | undefined;
}

/** The conversation's story with defaults filled in (stories saved before these fields existed). */
export function readState(meta: ConversationMeta): StoryState | undefined {
  const raw = storedState(meta);
  if (!raw?.premise || !raw.starterId) return undefined;
  return {
    ...raw,
    premise: raw.premise,
    starterId: raw.starterId,
    starterName: raw.starterName ?? 'someone',
    startedAt: raw.startedAt ?? 0,
    id: raw.id ?? String(raw.startedAt ?? 0),
    voteMs: raw.voteMs ?? DEFAULT_VOTE_MS,
    rounds: raw.rounds ?? false,
    players: raw.players ?? [{ id: raw.starterId, name: raw.starterName ?? 'someone' }],
  };
}

/** The story when the conversation's persona tells stories (else plain turns stay plain). */
export function activeStory(session: Session): StoryState | undefined {
  const state = readState(session.meta);
  if (!state) return undefined;
  return session.persona().mode === 'story' ? state : undefined;
}

export function requireState(session: Session): StoryState {
  const state = readState(session.meta);
  if (!state) throw UserFacingError.of('bad_input', 'story.noStory');
  return state;
}

export function withState(meta: ConversationMeta, state: StoryState): ConversationMeta {
  return { ...meta, settings: { ...meta.settings, story: state } };
}

/** Adds the speaker to the story's players (Muse itself never plays). */
export function withPlayer(state: StoryState, player: StoryPlayer): StoryState {
  if (player.id === 'muse' || state.players.some((p) => p.id === player.id)) return state;
  return { ...state, players: [...state.players, { id: player.id, name: player.name }] };
}

/**
 * Who is "in the conversation" for a vote: anyone in a DM or the terminal; in a channel, the
 * story's players: its starter, anyone who has taken part (an action, continue, retry) and
 * anyone who used /story join.
 */
export function mayVote(session: Session, state: StoryState): boolean {
  return !!session.ref.dm || state.players.some((p) => p.id === session.speaker.id);
}

export function isStarter(session: Session, state: StoryState): boolean {
  return !!session.ref.dm || session.speaker.id === state.starterId;
}

export function overdue(session: Session, window: { closesAt: number; opensAt: number }): boolean {
  return window.closesAt > window.opensAt && session.now() >= window.closesAt;
}

export function secondsLeft(session: Session, closesAt: number): number {
  return Math.max(1, Math.ceil((closesAt - session.now()) / 1000));
}

/**
 * A window's job data, with the language of the person whose turn opened it when it is not
 * English: the job that closes the window announces the result in it (the engine reads `locale`).
 */
export function spokenIn<T extends Record<string, string>>(session: Pick<Session, 'locale'>, data: T): T & { locale?: string } {
  return session.locale === 'en' ? data : { ...data, locale: session.locale };
}

/** A short id for polls and rounds (vote buttons carry the poll's id). */
export function shortId(): string {
  return randomUUID().slice(0, 8);
}
