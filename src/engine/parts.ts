import { english, type Localized, type Vars } from '../i18n/index.js';

/**
 * What the engine sends back to an adapter: a stream of small parts. Every stream ends with
 * exactly one 'done' or 'error' part. Adapters render: throttled edits, splitting, buttons.
 */

/** What a button runs: a command, its subcommand and options, as the person who clicks. */
export interface ActionRun {
  command: string;
  sub?: string;
  options?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A button under a reply. Adapters encode its `run` into the button (engine/actions.ts) and a
 * click comes back as that structured command.
 */
export interface ReplyAction {
  /** Stable id, unique under one reply, e.g. 'story.continue'. */
  id: string;
  label: string;
  run: ActionRun;
  /** How prominent the button is (default: the first primary, the rest secondary). */
  style?: 'primary' | 'secondary' | 'danger';
  /** Buttons with the same row are shown on one line (e.g. the choices of a vote). */
  row?: number;
  /** What a text surface can offer to type instead of clicking (a choice's number). */
  typed?: string;
}

export interface ReplyFile {
  name: string;
  mime: string;
  content: string;
}

export type ReplyPart =
  /**
   * The turn's checks passed (limits, budget, moderation of the input) and its first model call
   * starts now: what waits for a reply may show it (Discord's "writing…" placeholder). A refused
   * or queued turn never sends it. Renderers that show nothing before text ignore it.
   */
  | { type: 'started' }
  /**
   * The text streamed so far is taken back (moderation flagged a mature reply after it streamed):
   * renderers remove it; the error part that follows says why, in its place.
   */
  | { type: 'withdraw' }
  /** A delta of the streamed main reply (model output). */
  | { type: 'text'; text: string }
  /**
   * A line a story's character speaks, in order among the text: posted under the character's own
   * name (and avatar) where the platform can, else written `Name: "…"` in the text.
   */
  | { type: 'cast'; name: string; avatarUrl?: string; text: string }
  /** A complete message that is not streamed (command output). */
  | { type: 'message'; text: string; ephemeral?: boolean }
  /** One-line note shown apart from the reply (e.g. "older turns were summarised"). */
  | { type: 'notice'; text: string }
  /** A file to attach (export). */
  | { type: 'file'; file: ReplyFile }
  /** Buttons to show under the reply. */
  | { type: 'actions'; actions: ReplyAction[] }
  /**
   * Comes first when the reply should take the place of the message whose button was clicked
   * (flipping between versions ‹ 2/3 ›); where a platform cannot edit, it is posted as usual.
   */
  | { type: 'replace' }
  /** The reply completed; `text` is the whole streamed text, exactly as it was saved. */
  | { type: 'done'; text: string }
  /**
   * The turn failed; `message` is one clear sentence for the user. Nothing of the turn was saved.
   * `partial` tells whether streamed text was already shown. `text` is the sentence by key when it
   * was made before the turn's language was known: the engine renders it in that language (and
   * drops `text`) before the part leaves it; `message` is the English one.
   */
  | { type: 'error'; message: string; code: ErrorCode; ephemeral?: boolean; partial?: boolean; text?: Localized };

export type ErrorCode =
  | 'bad_input' // empty, too long, unknown command/option/persona
  | 'forbidden' // missing permission
  | 'model' // backend failure
  | 'store' // memory store unavailable
  | 'busy' // the conversation or the process is busy
  | 'limited' // a rate limit or the daily token budget
  | 'blocked' // moderation blocked the input or the reply
  | 'internal';

/** Thrown inside the engine/commands for a refusal the user should read; becomes an 'error' part. */
export class UserFacingError extends Error {
  readonly code: ErrorCode;
  /** The sentence by key, shown in the speaker's language; `message` is the English one (the log's). */
  readonly text: Localized | undefined;
  /** `cause` (what went wrong underneath: a host, a parser's message) is for the log, never shown. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; text?: Localized }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserFacingError';
    this.code = code;
    this.text = options?.text;
  }

  /** A refusal by key (src/i18n): English now, the speaker's language when it is shown. */
  static of(code: ErrorCode, key: string, vars?: Vars, options?: { cause?: unknown }): UserFacingError {
    const text: Localized = vars ? { key, vars } : { key };
    return new UserFacingError(code, english(key, vars), { ...options, text });
  }
}

/** An error part in the language of `t`: its sentence by key rendered, and the key dropped. */
export function localizePart(part: ReplyPart, t: (key: string, vars?: Vars) => string): ReplyPart {
  if (part.type !== 'error' || !part.text) return part;
  const { text, ...rest } = part;
  return { ...rest, message: t(text.key, text.vars) };
}
