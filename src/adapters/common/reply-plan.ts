/**
 * The reply plan: one platform-neutral reading of the engine's reply parts that decides what a
 * reply shows and where. It is a pure, incremental reducer: `step` folds one part into the state
 * so far (what a streaming surface shows now), `finish` turns that state into the final plan (the
 * public reply or the clicked message in place, what goes to the speaker alone, the notices,
 * buttons and files under the last message, the error sentence and its placement, and what an
 * empty reply shows). Surfaces only draw it: throttled edits, splitting, payload shapes, calls.
 * This folder imports no platform library.
 */
import { english, type Translate } from '../../i18n/index.js';
import type { ReplyAction, ReplyFile, ReplyPart } from '../../engine/parts.js';
import { castText, withNarration, type Scene, type SceneBlock } from './scene.js';

/** What the place a reply goes to allows; set by the surface when the reply starts. */
export interface PlanOptions {
  /** Muse's own words in the turn's language ("What next?", "Done."); default English. */
  t?: Translate;
  /**
   * Something can be shown to the speaker alone here (an interaction on Discord, a Slack channel
   * with a known speaker). Unset: private parts are shown with the reply (a DM is private already;
   * Discord channel messages and announcements have no private replies).
   */
  privateReplies?: boolean;
  /**
   * The reply answers a click on a message's button: a reply that starts with 'replace' is shown
   * in that message, and a new public reply retires that message's buttons.
   */
  clicked?: boolean;
  /**
   * A failure before anything public is private even when not marked so: the request was the
   * speaker's own and nobody else saw it (a Slack slash command, a click).
   */
  privateErrors?: boolean;
}

export type ReplyEnd = Extract<ReplyPart, { type: 'done' | 'error' }>;

/** The reply so far: what a streaming surface shows now. */
export interface ReplyState {
  readonly options: PlanOptions;
  /**
   * The public text so far: streamed text and complete messages, in order. It only grows, so what
   * a surface has shown is always a prefix of it, except after a 'withdraw', which empties it.
   */
  readonly text: string;
  /** The turn started (its checks passed and its model call began): a placeholder may show now. */
  readonly started?: boolean;
  /** Streamed text was taken back: what was shown must be replaced (by the error sentence), publicly. */
  readonly withdrawn?: boolean;
  /** Messages for the speaker alone so far, in order (only with `privateReplies`). */
  readonly private: readonly string[];
  /** One-line notes, in order. */
  readonly notices: readonly string[];
  readonly files: readonly ReplyFile[];
  /** The latest buttons. */
  readonly actions: readonly ReplyAction[];
  /** A 'replace' came before anything public: the reply is shown in the clicked message. */
  readonly inPlace: boolean;
  /** The end part, once it came; parts after it change nothing. */
  readonly end?: ReplyEnd;
  /** Where the first cast line starts in `text`, once one came: streaming holds there (see held). */
  readonly castFrom?: number;
  /** The blocks from the first cast line on (scene.ts). */
  readonly scene: readonly SceneBlock[];
}

/** What everyone sees. */
export interface PublicReply {
  /** The reply's text; a fallback ('What next?', 'Done.') when it has none, '' when nothing is needed. */
  text: string;
  /** The error sentence, after the text. */
  error?: string;
  /** One-line notes under the last message. */
  notices: string[];
  /** Buttons under the last message (none after an error). */
  actions: ReplyAction[];
  /** Files with the last message. */
  files: ReplyFile[];
  /** Shown in the clicked message instead of new messages. */
  inPlace: boolean;
  /** The reply has cast lines: `text` split into the lead and the scene, for a surface that posts as characters. */
  scene?: Scene;
}

/** What the speaker alone sees. */
export interface PrivateReply {
  messages: string[];
  /** The error sentence, after the messages. */
  error?: string;
  /** Notes under it (when nothing is public). */
  notices: string[];
}

export interface ReplyPlan {
  ended: 'done' | 'error';
  /** Unset: nothing public (a private answer, or a silent reply). */
  public?: PublicReply;
  /** Unset: nothing private. */
  private?: PrivateReply;
  /** After a click: a new public reply carries the current buttons, so the clicked message's go. */
  retireClicked: boolean;
}

export interface FinishOptions {
  /**
   * Something visible waits for this reply (a deferred interaction, a "writing…" marker): a reply
   * with nothing to show says 'Done.' rather than nothing.
   */
  awaited?: boolean;
}

export const DONE = english('surface.done');
/** The sentence for a reply stream that broke (the engine's own errors are already sentences). */
export const BROKEN_STREAM = english('surface.broken');

export function startReply(options: PlanOptions = {}): ReplyState {
  return { options, text: '', private: [], notices: [], files: [], actions: [], inPlace: false, scene: [] };
}

/**
 * The public text a streaming surface may show now: all of it, or, once a cast line came, the
 * text before it (the scene is drawn whole at the end, each line under its character's name).
 */
export function held(state: ReplyState): string {
  return state.castFrom === undefined ? state.text : state.text.slice(0, state.castFrom);
}

/** Public text grows: after a cast line, what is added joins the scene as narration. */
function grown(state: ReplyState, text: string): ReplyState {
  if (state.castFrom === undefined) return { ...state, text };
  return { ...state, text, scene: withNarration(state.scene, text.slice(state.text.length)) };
}

/** Folds one part into the state so far. Pure: the state given is not changed. */
export function step(state: ReplyState, part: ReplyPart): ReplyState {
  if (state.end) return state;
  switch (part.type) {
    case 'text':
      return part.text ? grown(state, state.text + part.text) : state;
    case 'message':
      if (part.ephemeral && state.options.privateReplies) return { ...state, private: [...state.private, part.text] };
      return grown(state, appendMessage(state.text, part.text));
    case 'cast': {
      const line = { kind: 'cast' as const, name: part.name, text: part.text, ...(part.avatarUrl ? { avatarUrl: part.avatarUrl } : {}) };
      return {
        ...state,
        text: state.text + castText(state.text, part.name, part.text),
        castFrom: state.castFrom ?? state.text.length,
        scene: [...state.scene, line],
      };
    }
    case 'notice': {
      const line = oneLine(part.text);
      return line ? { ...state, notices: [...state.notices, line] } : state;
    }
    case 'file':
      return { ...state, files: [...state.files, part.file] };
    case 'actions':
      return { ...state, actions: part.actions };
    case 'started':
      return state.started ? state : { ...state, started: true };
    case 'withdraw':
      // Everything public goes, cast lines with it.
      return { ...state, text: '', castFrom: undefined, scene: [], withdrawn: true };
    case 'replace':
      // Only before anything public: a reply never jumps from new messages into the clicked one.
      return state.options.clicked && !state.text.trim() && state.files.length === 0 ? { ...state, inPlace: true } : state;
    case 'done':
    case 'error':
      return { ...state, end: part };
  }
}

/** The final plan from the state at the end (a stream without an end part counts as done). */
export function finish(state: ReplyState, options: FinishOptions = {}): ReplyPlan {
  const end: ReplyEnd = state.end ?? { type: 'done', text: '' };
  const error = end.type === 'error' ? end : undefined;
  const hasText = state.text.trim().length > 0;
  // A refusal (or, with privateErrors, any failure) goes to the speaker alone when nothing public
  // was written; after public text, the sentence stays under that text so readers know why it stops.
  const forSpeaker = !!error && (!!error.ephemeral || error.code === 'forbidden' || error.code === 'bad_input' || !!state.options.privateErrors);
  const privateError = forSpeaker && !!state.options.privateReplies && !hasText && !state.withdrawn;
  const publicError = error && !privateError ? error.message : undefined;
  const actions = error ? [] : [...state.actions];
  const hasPrivate = state.private.length > 0 || privateError;
  const shownPublicly = hasText || publicError !== undefined || actions.length > 0 || state.files.length > 0;
  // Notices go under the reply's last message: the public one, else the private one, else alone.
  const noticesPrivately = !shownPublicly && hasPrivate;
  const notices = [...state.notices];
  const isPublic = shownPublicly || (!noticesPrivately && notices.length > 0) || (!hasPrivate && !!options.awaited);

  const plan: ReplyPlan = { ended: error ? 'error' : 'done', retireClicked: false };
  if (isPublic) {
    let text = state.text;
    const t = state.options.t ?? english;
    if (!hasText) text = publicError !== undefined ? '' : actions.length ? t('surface.whatNext') : options.awaited && !notices.length ? t('surface.done') : '';
    const inPlace = state.inPlace && hasText;
    plan.public = { text, notices: noticesPrivately ? [] : notices, actions, files: [...state.files], inPlace };
    if (state.castFrom !== undefined && hasText && !inPlace) plan.public.scene = { lead: state.text.slice(0, state.castFrom), blocks: [...state.scene] };
    if (publicError !== undefined) plan.public.error = publicError;
    plan.retireClicked = !!state.options.clicked && !inPlace;
  }
  if (hasPrivate) {
    plan.private = { messages: [...state.private], notices: noticesPrivately ? notices : [] };
    if (privateError && error) plan.private.error = error.message;
  }
  return plan;
}

/** The plan of a whole part sequence (tests, and surfaces that do not stream). */
export function planReply(parts: Iterable<ReplyPart>, options: PlanOptions = {}, finishing: FinishOptions = {}): ReplyPlan {
  let state = startReply(options);
  for (const part of parts) state = step(state, part);
  return finish(state, finishing);
}

/**
 * Reads a reply's parts up to its end part, folding each into the state; `onPart` sees the state
 * after each part (a surface's streaming work) and is awaited. A stream that throws ends as an
 * internal error with one sentence (`onError` gets the cause, for the log).
 */
export async function readReply(
  parts: AsyncIterable<ReplyPart>,
  options: PlanOptions,
  onPart: (state: ReplyState, part: ReplyPart) => void | Promise<void>,
  onError?: (err: unknown) => void,
): Promise<ReplyState> {
  let state = startReply(options);
  try {
    for await (const part of parts) {
      state = step(state, part);
      await onPart(state, part);
      if (state.end) break;
    }
  } catch (err) {
    onError?.(err);
    state = step(state, { type: 'error', code: 'internal', message: (options.t ?? english)('surface.broken') });
  }
  return state;
}

/** How a platform writes the lines under a reply's text. */
export interface TrailerStyle {
  error(sentence: string): string;
  notice(line: string): string;
}

/**
 * A text with its error sentence (after a blank line) and notices (one line each) under it, as
 * the platform writes them; the text's trailing blank space gives way to them.
 */
export function withTrailer(text: string, trailer: { error?: string | undefined; notices: readonly string[] }, style: TrailerStyle): string {
  let out = text;
  const add = (line: string, gap: string) => {
    out = out.trim() ? `${out.trimEnd()}${gap}${line}` : line;
  };
  if (trailer.error !== undefined) add(style.error(trailer.error), '\n\n');
  for (const notice of trailer.notices) add(style.notice(notice), '\n');
  return out;
}

/** A private reply as one text: its messages (a blank line between), the error, the notices. */
export function privateText(reply: PrivateReply, style: TrailerStyle): string {
  return withTrailer(reply.messages.join('\n\n'), reply, style);
}

/** A complete message after the text so far, a blank line between; appended, so the text only grows. */
function appendMessage(text: string, message: string): string {
  if (!text.trim()) return text + message;
  return text + (text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n') + message;
}

/** A notice is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
