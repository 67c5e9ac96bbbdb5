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
   * `partial` tells whether streamed text was already shown.
   */
  | { type: 'error'; message: string; code: ErrorCode; ephemeral?: boolean; partial?: boolean };

export type ErrorCode =
  | 'bad_input' // empty, too long, unknown command/option/persona
  | 'forbidden' // missing permission
  | 'model' // backend failure
  | 'store' // memory store unavailable
  | 'busy'
  | 'internal';

/** Thrown inside the engine/commands for a refusal the user should read; becomes an 'error' part. */
export class UserFacingError extends Error {
  readonly code: ErrorCode;
  /** `cause` (what went wrong underneath: a host, a parser's message) is for the log, never shown. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserFacingError';
    this.code = code;
  }
}
