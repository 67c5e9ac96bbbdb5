import type { Session } from '../../engine/session.js';
import type { CurrentBeat, StoryState } from './state.js';

/**
 * Versions that are no longer the last beat's: a beat with several versions once the story
 * moved on, and every undone beat. One record per story, kept until the next /story new, so no
 * written text is lost while the story lasts.
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

export function archiveKey(session: Session, state: Pick<StoryState, 'id'>): string {
  return `story:${session.key}:${state.id}:versions`;
}

export async function readArchive(session: Session, state: StoryState): Promise<StoryArchive> {
  return (await session.record<StoryArchive>(archiveKey(session, state))) ?? { beats: [] };
}

/** Adds a beat to the story's archive (compare-and-set: an archived beat is never lost to another write). */
export async function archiveBeat(session: Session, state: StoryState, beat: CurrentBeat, canon: number | null, action?: string): Promise<void> {
  const entry: ArchivedBeat = { index: beat.index, versions: beat.versions.map((v) => v.text), canon, at: session.now() };
  if (action !== undefined) entry.action = action;
  await session.updateRecord<StoryArchive>(archiveKey(session, state), (stored) => ({ beats: [...(stored?.beats ?? []), entry] }));
}
