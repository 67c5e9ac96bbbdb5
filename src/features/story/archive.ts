import type { Session } from '../../engine/session.js';
import type { CurrentBeat, StoryState } from './state.js';

/**
 * Versions that are no longer the last beat's: a beat with several versions once the story
 * moved on, and every undone beat. One record per story, kept while the story lasts; when the
 * next /story new comes from the starter (or a manager) it goes, otherwise it is kept as an
 * earlier story's archive. Every archive of a conversation is listed in one index record, so
 * /memory clear finds them all.
 */
export interface ArchivedBeat {
  /** Turn index the beat had. */
  index: number;
  versions: string[];
  /** Which version became canon; null when the beat was undone. */
  canon: number | null;
  /** The action that led to an undone beat. */
  action?: string;
  at: number;
}

export interface StoryArchive {
  beats: ArchivedBeat[];
}

/** A story of this conversation that has an archive record. */
export interface ArchivedStory {
  id: string;
  premise: string;
  starterName: string;
  at: number;
}

/** At most this many stories' archives are kept per conversation; beyond, the oldest goes. */
export const MAX_ARCHIVED_STORIES = 10;

type Keyed = Pick<Session, 'key'>;

export function archiveKey(session: Keyed, state: Pick<StoryState, 'id'>): string {
  return `story:${session.key}:${state.id}:versions`;
}

/** The record that lists the conversation's archives. */
export function archiveIndexKey(session: Keyed): string {
  return `story:${session.key}:archives`;
}

export async function readArchive(session: Session, state: StoryState): Promise<StoryArchive> {
  return (await session.record<StoryArchive>(archiveKey(session, state))) ?? { beats: [] };
}

export async function readArchiveIndex(session: Pick<Session, 'key' | 'record'>): Promise<ArchivedStory[]> {
  return (await session.record<{ stories: ArchivedStory[] }>(archiveIndexKey(session)))?.stories ?? [];
}

/** Adds a beat to the story's archive (compare-and-set: an archived beat is never lost to another write). */
export async function archiveBeat(session: Session, state: StoryState, beat: CurrentBeat, canon: number | null, action?: string): Promise<void> {
  const entry: ArchivedBeat = { index: beat.index, versions: beat.versions.map((v) => v.text), canon, at: session.now() };
  if (action !== undefined) entry.action = action;
  if ((await readArchive(session, state)).beats.length === 0) await listArchive(session, state);
  await session.updateRecord<StoryArchive>(archiveKey(session, state), (stored) => ({ beats: [...(stored?.beats ?? []), entry] }));
}

/** Adds the story to the index (listed before its record is written, so none is ever missed); the oldest beyond the cap goes. */
async function listArchive(session: Session, state: StoryState): Promise<void> {
  let dropped: ArchivedStory[] = [];
  const line: ArchivedStory = { id: state.id, premise: state.premise, starterName: state.starterName, at: session.now() };
  await session.updateRecord<{ stories: ArchivedStory[] }>(archiveIndexKey(session), (stored) => {
    const stories = (stored?.stories ?? []).filter((s) => s.id !== state.id);
    stories.push(line);
    dropped = stories.splice(0, Math.max(0, stories.length - MAX_ARCHIVED_STORIES));
    return { stories };
  });
  for (const old of dropped) await session.deleteRecord(archiveKey(session, old));
}

/** Deletes a story's archive and its line in the index. */
export async function dropArchive(session: Session, state: Pick<StoryState, 'id'>): Promise<void> {
  await session.deleteRecord(archiveKey(session, state));
  if (!(await readArchiveIndex(session)).some((s) => s.id === state.id)) return;
  await session.updateRecord<{ stories: ArchivedStory[] }>(archiveIndexKey(session), (stored) => {
    const left = (stored?.stories ?? []).filter((s) => s.id !== state.id);
    return left.length ? { stories: left } : undefined;
  });
}

/** Every archive of the conversation and the index (/memory clear), and the current story's in case it was never listed. */
export async function forgetArchives(session: Session, current: Pick<StoryState, 'id'> | undefined): Promise<void> {
  for (const story of await readArchiveIndex(session)) await session.deleteRecord(archiveKey(session, story));
  if (current) await session.deleteRecord(archiveKey(session, current));
  await session.deleteRecord(archiveIndexKey(session));
}
