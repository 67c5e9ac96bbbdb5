import { castOf } from './cast.js';
import { speakersOf } from './cast-lines.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { storyVersionsMarkdown, type EarlierStory, type VersionedBeat } from './export.js';
import { archiveBeat, archiveKey, readArchive, readArchiveIndex, type StoryArchive } from './archive.js';
import { beatActions, storyBeat, storyActions } from './beat.js';
import { beatDisplay } from './choices.js';
import { POLL_JOB, readState, ROUND_JOB, shortId, withState, type CurrentBeat, type StoryState, spokenIn } from './state.js';

/** Versions kept per beat: `story retry` refuses beyond it. */
export const MAX_VERSIONS = 10;

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
  if (m.count - m.base < 2) throw UserFacingError.of('bad_input', 'story.versions.noBeat');
  const [asked, answered] = await session.readTurns(m.count - 2, m.count);
  if (!asked || asked.role !== 'user' || answered?.role !== 'assistant') throw UserFacingError.of('bad_input', 'story.versions.cannotRetry');
  const state = readState(m);
  if (!state) {
    yield* session.reply({ meta: lastExchangeMeta(session), turn: asked, actions: storyActions(session.t) });
    return;
  }
  if (state.round) throw UserFacingError.of('bad_input', 'story.versions.roundOpen');
  const retryOf = currentBeat(state, m.count - 1, answered.text);
  if (retryOf.versions.length >= MAX_VERSIONS) {
    throw UserFacingError.of('bad_input', 'story.versions.tooMany', { max: MAX_VERSIONS });
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
    throw UserFacingError.of('bad_input', 'story.versions.earlierButtons');
  }
  if (!state || !beat || beat.index !== session.meta.count - 1 || beat.versions.length < 2) {
    throw UserFacingError.of('bad_input', 'story.versions.oneVersion');
  }
  if (state.round) throw UserFacingError.of('bad_input', 'story.versions.roundOpen');
  const total = beat.versions.length;
  if (!Number.isInteger(n) || n < 1 || n > total) throw UserFacingError.of('bad_input', 'story.versions.pick', { total });
  const version = beat.versions[n - 1]!;
  const next: StoryState = { ...state, beat: { ...beat, shown: n - 1 } };
  delete next.poll;
  if (version.choices.length)
    next.poll = { id: shortId(), choices: version.choices, opensAt: session.now(), closesAt: session.now() + state.voteMs, votes: {} };
  const timed = next.poll && state.voteMs > 0;
  if (timed) await session.scheduleAt(POLL_JOB, next.poll!.closesAt, spokenIn(session, { pollId: next.poll!.id }));
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
  if (m.count - m.base < 2) throw UserFacingError.of('bad_input', 'story.versions.nothingToUndo');
  const state = readState(m);
  const lines: string[] = [];
  if (!state) {
    await session.commitMeta(lastExchangeMeta(session));
  } else {
    const [asked, answered] = await session.readTurns(m.count - 2, m.count);
    if (answered?.role === 'assistant') await archiveBeat(session, state, currentBeat(state, m.count - 1, answered.text), null, asked?.text);
    if (state.round) lines.push(session.t('story.versions.roundCancelled'));
    const next: StoryState = { ...state };
    delete next.beat;
    delete next.poll;
    delete next.round;
    await session.commitMeta(withState(lastExchangeMeta(session), next));
    await session.cancel(POLL_JOB);
    await session.cancel(ROUND_JOB);
  }
  lines.push(session.t('story.versions.undone'));
  yield* session.say(lines.join('\n\n'));
}

/** `story versions`: every version of every beat that has several, and every undone beat, as a file. */
export async function* listVersions(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  const state = readState(m);
  if (!state) throw UserFacingError.of('bad_input', 'story.noStory');
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
    yield* session.say(session.t('story.versions.none'));
    return;
  }
  const file = storyVersionsMarkdown(m, beats, earlier, session.t);
  yield { type: 'file', file };
  const t = session.t;
  const undone = beats.filter((b) => b.canon === null).length;
  const kept = beats.length - undone;
  const also = earlier.length === 0 ? '' : earlier.length === 1 ? t('story.versions.alsoOne') : t('story.versions.alsoMany', { n: earlier.length });
  yield* session.say(
    t('story.versions.listed', {
      beats: kept === 1 ? t('story.versions.beatOne') : t('story.versions.beats', { n: kept }),
      undone: undone === 1 ? t('story.versions.undoneOne') : t('story.versions.undoneMany', { n: undone }),
      also,
      file: file.name,
    }),
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
