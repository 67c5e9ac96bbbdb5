import type { ConversationMeta, Turn } from '../../memory/types.js';
import type { ReplyAction, ReplyPart } from '../../engine/parts.js';
import type { Translate } from '../../i18n/index.js';
import type { Persona } from '../../personas/schema.js';
import type { Session } from '../../engine/session.js';
import { castOf } from './cast.js';
import { speakersOf } from './cast-lines.js';
import { withCastLines } from './cast-stream.js';
import { parseChoices } from './choices.js';
import { archiveBeat } from './archive.js';
import { readState, POLL_JOB, ROUND_JOB, shortId, withPlayer, withState, type CurrentBeat, type StoryPlayer, type StoryState, spokenIn } from './state.js';

/** Asked of the model with every beat (besides what the persona says). */
export const CHOICES_INSTRUCTION =
  'After the narration, end this beat with 2 to 4 short choices for what the players could do next, as a numbered list, one per line (for example "1. Open the door"). Write nothing after the list.';

/** Continue / Retry / Undo, labelled in the turn's language. */
export function storyActions(t: Translate): ReplyAction[] {
  return [
    { id: 'story.continue', label: t('buttons.continue'), run: { command: 'story', sub: 'continue' }, row: 2 },
    { id: 'story.retry', label: t('buttons.retry'), run: { command: 'story', sub: 'retry' }, row: 2 },
    { id: 'story.undo', label: t('buttons.undo'), run: { command: 'story', sub: 'undo' }, row: 2 },
  ];
}

export interface BeatRequest {
  turn: Turn;
  /** The meta the beat builds on (a new story, or the meta before the retried beat). */
  meta?: ConversationMeta;
  persona?: Persona;
  /** Shown before the beat (a vote's result, a cancelled vote). */
  lead?: string[];
  /** The beat replaces the last one as another version of it. */
  retryOf?: CurrentBeat;
  /** Who takes part with this beat (joins the players). */
  player?: StoryPlayer;
}

/**
 * Writes one beat: streams the model's reply as it comes (the numbered choices included), then
 * stores the narration without the list as the reply (rewriteLastReply) and keeps the choices
 * in meta.settings.story: the last beat's versions, and a new poll when there are choices.
 * Earlier versions of the previous beat go to the archive. Ends with the buttons and 'done'
 * (whose text is the streamed text, as shown).
 */
export async function* storyBeat(session: Session, request: BeatRequest): AsyncGenerator<ReplyPart> {
  // Lead lines go out as the start of the streamed reply, so every adapter shows them in the
  // same message as the beat, a paragraph above it.
  for (const line of request.lead ?? []) yield { type: 'text', text: `${line}\n\n` };
  let state: StoryState | undefined;
  // The story's new state (versions, poll) and the narration without the list are saved in the
  // same write as the beat itself: if anything fails, nothing of the beat is saved.
  const finalize = async (text: string, meta: ConversationMeta) => {
    const before = readState(meta);
    if (!before) return { meta };
    const parsed = parseChoices(text);
    const index = meta.count - 1;
    const version = { text: parsed.narration, choices: parsed.choices };
    let beat: CurrentBeat;
    if (request.retryOf) {
      beat = { index, versions: [...request.retryOf.versions, version], shown: request.retryOf.versions.length };
    } else {
      if (before.beat && before.beat.index !== index && before.beat.versions.length > 1) await archiveBeat(session, before, before.beat, before.beat.shown);
      beat = { index, versions: [version], shown: 0 };
    }
    let next: StoryState = { ...before, beat };
    delete next.round;
    delete next.poll;
    if (request.player) next = withPlayer(next, request.player);
    if (parsed.choices.length) next.poll = { id: shortId(), choices: parsed.choices, opensAt: session.now(), closesAt: session.now() + next.voteMs, votes: {} };
    // The window's deadline is stored before the beat that opens it: a beat that is saved never
    // leaves a vote open without its job (a job whose beat failed finds nothing to close).
    if (next.poll && next.voteMs > 0) await session.scheduleAt(POLL_JOB, next.poll.closesAt, spokenIn(session, { pollId: next.poll.id }));
    state = next;
    return { meta: withState(meta, next), storedText: parsed.narration, speakers: speakersOf(parsed.narration, castOf(before)) };
  };
  const replyRequest = {
    turn: request.turn,
    instruction: CHOICES_INSTRUCTION,
    finalize,
    ...(request.meta ? { meta: request.meta } : {}),
    ...(request.persona ? { persona: request.persona } : {}),
  };
  let done: Extract<ReplyPart, { type: 'done' }> | undefined;
  // Cast lines go out as 'cast' parts, posted under each character's name (cast-stream.ts).
  const cast = castOf(readState(request.meta ?? session.meta));
  for await (const part of withCastLines(session.reply(replyRequest), cast)) {
    if (part.type === 'done') done = part;
    else if (part.type === 'error') {
      yield part;
      return;
    } else yield part;
  }
  if (!done) return;
  if (state) {
    // The beat closed any earlier window; a new poll's job has replaced the old one.
    await session.cancel(ROUND_JOB);
    if (!state.poll || state.voteMs === 0) await session.cancel(POLL_JOB);
    yield { type: 'actions', actions: beatActions(state, session.t) };
  }
  yield done;
}

/** The buttons under a beat: its choices, the versions ‹ 2/3 ›, then Continue / Retry / Undo. */
export function beatActions(state: StoryState, t: Translate): ReplyAction[] {
  const actions: ReplyAction[] = [];
  if (state.poll) {
    const poll = state.poll.id;
    state.poll.choices.forEach((choice, k) => {
      const label = `${k + 1}. ${choice}`;
      // In the terminal (no buttons) the choice's number is typed instead.
      actions.push({
        id: `story.choice.${k + 1}`,
        label: label.length > 80 ? `${label.slice(0, 79)}…` : label,
        run: { command: 'story', sub: 'vote', options: { choice: k + 1, poll } },
        style: 'primary',
        row: 0,
        typed: String(k + 1),
      });
    });
  }
  const beat = state.beat;
  if (beat && beat.versions.length > 1) {
    const n = beat.versions.length;
    const shown = beat.shown + 1;
    const version = (v: number) => ({ command: 'story', sub: 'version', options: { n: v, beat: beat.index } });
    actions.push(
      { id: 'story.version.previous', label: '‹', run: version(shown === 1 ? n : shown - 1), style: 'secondary', row: 1 },
      { id: 'story.version.current', label: `${shown}/${n}`, run: version(shown), style: 'secondary', row: 1 },
      { id: 'story.version.next', label: '›', run: version(shown === n ? 1 : shown + 1), style: 'secondary', row: 1 },
    );
  }
  actions.push(...storyActions(t));
  return actions;
}
