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

export async function archiveBeat(session: Session, state: StoryState, beat: CurrentBeat, canon: number | null, action?: string): Promise<void> {
  const archive = await readArchive(session, state);
  const entry: ArchivedBeat = { index: beat.index, versions: beat.versions.map((v) => v.text), canon, at: session.now() };
  if (action !== undefined) entry.action = action;
  archive.beats.push(entry);
  if (archive.beats.length === 1) await listArchive(session, state);
  await session.saveRecord(archiveKey(session, state), archive);
}

/** Adds the story to the index (listed before its record is written, so none is ever missed); the oldest beyond the cap goes. */
async function listArchive(session: Session, state: StoryState): Promise<void> {
  const stories = (await readArchiveIndex(session)).filter((s) => s.id !== state.id);
  stories.push({ id: state.id, premise: state.premise, starterName: state.starterName, at: session.now() });
  for (const old of stories.splice(0, Math.max(0, stories.length - MAX_ARCHIVED_STORIES))) await session.deleteRecord(archiveKey(session, old));
  await session.saveRecord(archiveIndexKey(session), { stories });
}

/** Deletes a story's archive and its line in the index. */
export async function dropArchive(session: Session, state: Pick<StoryState, 'id'>): Promise<void> {
  await session.deleteRecord(archiveKey(session, state));
  const stories = await readArchiveIndex(session);
  const left = stories.filter((s) => s.id !== state.id);
  if (left.length === stories.length) return;
  if (left.length) await session.saveRecord(archiveIndexKey(session), { stories: left });
  else await session.deleteRecord(archiveIndexKey(session));
}

/** Every archive of the conversation and the index (/memory clear), and the current story's in case it was never listed. */
export async function forgetArchives(session: Session, current: Pick<StoryState, 'id'> | undefined): Promise<void> {
  for (const story of await readArchiveIndex(session)) await session.deleteRecord(archiveKey(session, story));
  if (current) await session.deleteRecord(archiveKey(session, current));
  await session.deleteRecord(archiveIndexKey(session));
}
