import { castOf } from './cast.js';
import { speakersOf } from './cast-lines.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { storyVersionsMarkdown, type EarlierStory, type VersionedBeat } from './export.js';
import { archiveBeat, archiveKey, readArchive, readArchiveIndex, type StoryArchive } from './archive.js';
import { beatActions, storyBeat, storyActions } from './beat.js';
import { beatDisplay } from './choices.js';
import { POLL_JOB, readState, ROUND_JOB, shortId, withState, type CurrentBeat, type StoryState } from './state.js';

/** Versions kept per beat: `story retry` refuses beyond it. */
export const MAX_VERSIONS = 10;

const ROUND_OPEN = 'A round is collecting actions; wait for it to close (or the starter can use /story close) before changing the last beat.';

function lastExchangeMeta(session: Session) {
  const m = session.meta;
  return { ...m, count: m.count - 2, summarizedUpTo: Math.min(m.summarizedUpTo, m.count - 2) };
}

/** The last beat's versions; a beat written before versions were kept has just its stored text. */
function currentBeat(state: StoryState, index: number, storedText: string): CurrentBeat {
  if (state.beat?.index === index) return state.beat;
  return { index, versions: [{ text: storedText, choices: [] }], shown: 0 };
}

/** `story retry`: another version of the last beat, from the same action; earlier ones are kept. */
export async function* retryBeat(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  if (m.count - m.base < 2) throw new UserFacingError('bad_input', 'There is no beat to retry yet; start one with /story new.');
  const [asked, answered] = await session.readTurns(m.count - 2, m.count);
  if (!asked || asked.role !== 'user' || answered?.role !== 'assistant') throw new UserFacingError('bad_input', 'The last beat cannot be retried.');
  const state = readState(m);
  if (!state) {
    yield* session.reply({ meta: lastExchangeMeta(session), turn: asked, actions: storyActions(session.t) });
    return;
  }
  if (state.round) throw new UserFacingError('bad_input', ROUND_OPEN);
  const retryOf = currentBeat(state, m.count - 1, answered.text);
  if (retryOf.versions.length >= MAX_VERSIONS) {
    throw new UserFacingError(
      'bad_input',
      `The last beat already has ${MAX_VERSIONS} versions, the most Muse keeps for one beat; flip between them with ‹ › (/story version n), or move the story on.`,
    );
  }
  yield* storyBeat(session, { meta: lastExchangeMeta(session), turn: asked, retryOf, player: { id: session.speaker.id, name: session.speaker.name } });
}

/**
 * `story version n`: shows version n of the last beat in place of the clicked message and makes
 * it the stored reply (so the version shown when the story moves on is canon). Its choices open
 * a fresh vote.
 */
export async function* showVersion(session: Session, n: number, beatIndex?: number): AsyncGenerator<ReplyPart> {
  const state = readState(session.meta);
  const beat = state?.beat;
  // Buttons under an earlier beat's message must not change (or overwrite) the last beat.
  if (beatIndex !== undefined && beat?.index !== beatIndex) {
    throw new UserFacingError('bad_input', "Those buttons belong to an earlier beat; only the last beat's versions can be flipped.");
  }
  if (!state || !beat || beat.index !== session.meta.count - 1 || beat.versions.length < 2) {
    throw new UserFacingError('bad_input', 'The last beat has only one version; /story retry writes another.');
  }
  if (state.round) throw new UserFacingError('bad_input', ROUND_OPEN);
  const total = beat.versions.length;
  if (!Number.isInteger(n) || n < 1 || n > total) throw new UserFacingError('bad_input', `The last beat has ${total} versions; pick one from 1 to ${total}.`);
  const version = beat.versions[n - 1]!;
  const next: StoryState = { ...state, beat: { ...beat, shown: n - 1 } };
  delete next.poll;
  if (version.choices.length)
    next.poll = { id: shortId(), choices: version.choices, opensAt: session.now(), closesAt: session.now() + state.voteMs, votes: {} };
  const timed = next.poll && state.voteMs > 0;
  if (timed) await session.scheduleAt(POLL_JOB, next.poll!.closesAt, { pollId: next.poll!.id });
  session.meta = withState(session.meta, next);
  await session.rewriteLastReply(version.text, speakersOf(version.text, castOf(state)));
  if (!timed) await session.cancel(POLL_JOB);
  const text = beatDisplay(version.text, version.choices);
  yield { type: 'replace' };
  yield { type: 'message', text };
  yield { type: 'actions', actions: beatActions(next, session.t) };
  yield { type: 'done', text };
}

/** `story undo`: removes the last beat and its action; the beat's versions go to the archive. */
export async function* undoBeat(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  if (m.count - m.base < 2) throw new UserFacingError('bad_input', 'There is nothing to undo in this story.');
  const state = readState(m);
  const lines: string[] = [];
  if (!state) {
    await session.commitMeta(lastExchangeMeta(session));
  } else {
    const [asked, answered] = await session.readTurns(m.count - 2, m.count);
    if (answered?.role === 'assistant') await archiveBeat(session, state, currentBeat(state, m.count - 1, answered.text), null, asked?.text);
    if (state.round) lines.push('The open round was cancelled; its actions were not narrated.');
    const next: StoryState = { ...state };
    delete next.beat;
    delete next.poll;
    delete next.round;
    await session.commitMeta(withState(lastExchangeMeta(session), next));
    await session.cancel(POLL_JOB);
    await session.cancel(ROUND_JOB);
  }
  lines.push('The last beat was removed (its text is kept: /story versions lists it). Write what happens instead, or use /story continue.');
  yield* session.say(lines.join('\n\n'));
}

/** `story versions`: every version of every beat that has several, and every undone beat, as a file. */
export async function* listVersions(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  const state = readState(m);
  if (!state) throw new UserFacingError('bad_input', 'There is no story here yet; start one with /story new.');
  const archive = await readArchive(session, state);
  const position = (index: number) => Math.max(1, Math.round((index - m.base + 1) / 2));
  const beats: VersionedBeat[] = archive.beats.map((b) => ({
    beat: position(b.index),
    versions: b.versions,
    canon: b.canon,
    ...(b.action !== undefined ? { action: b.action } : {}),
  }));
  const beat = state.beat;
  if (beat && beat.index === m.count - 1 && beat.versions.length > 1)
    beats.push({ beat: position(beat.index), versions: beat.versions.map((v) => v.text), canon: beat.shown });
  const earlier = await earlierStories(session, state);
  if (beats.length === 0 && earlier.length === 0) {
    yield* session.say('Every beat of this story has one version so far; /story retry writes another, and /story undo keeps what it removes here.');
    return;
  }
  const file = storyVersionsMarkdown(m, beats, earlier);
  yield { type: 'file', file };
  const undone = beats.filter((b) => b.canon === null).length;
  const also = earlier.length ? `, and those of ${earlier.length} earlier stor${earlier.length === 1 ? 'y' : 'ies'} kept here` : '';
  yield* session.say(
    `Every version of ${beats.length - undone} beat${beats.length - undone === 1 ? '' : 's'} with alternatives and ${undone} undone beat${undone === 1 ? '' : 's'}${also}, as ${file.name}.`,
  );
}

/** The archives of earlier stories that were kept (started anew by someone else than their starter). */
async function earlierStories(session: Session, current: StoryState): Promise<EarlierStory[]> {
  const out: EarlierStory[] = [];
  for (const story of await readArchiveIndex(session)) {
    if (story.id === current.id) continue;
    const archive = await session.record<StoryArchive>(archiveKey(session, story));
    if (archive?.beats.length) out.push({ ...story, beats: archive.beats });
  }
  return out;
}
