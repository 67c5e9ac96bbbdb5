/**
 * The moderation port: one question, "is this text acceptable?", with three implementations
 * chosen by MUSE_MODERATION (src/model/moderation-*.ts: openai, model, off).
 *
 *   const verdict = await moderator.check(text, { signal });   // or throws ModerationUnavailableError
 *
 * What a verdict means for a channel (which categories block at which rating, and what happens
 * when the check itself fails) is policy, in src/safety/policy.ts.
 */

/** The normalized category names (the OpenAI moderation endpoint's names). */
export const CATEGORIES = [
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'hate',
  'hate/threatening',
  'harassment',
  'harassment/threatening',
  'illicit',
  'illicit/violent',
] as const;

export type Category = (typeof CATEGORIES)[number];

export interface Verdict {
  /** True when the checker flagged the text at all (whether or not the rating blocks it). */
  flagged: boolean;
  /** The flagged categories, normalized, without duplicates. */
  categories: Category[];
  /** Scores from 0 to 1 per category, when the checker gives them. */
  scores?: Partial<Record<Category, number>>;
}

export interface CheckOptions {
  /** Cancels the check; it then fails with ModerationUnavailableError of kind 'aborted'. */
  signal?: AbortSignal;
  /**
   * Told the model tokens (input plus output) the check itself cost, as soon as the checker knows
   * them, whatever the verdict (MUSE_MODERATION=model asks the chat model; the others cost none).
   */
  spent?: (tokens: number) => void;
}

export interface Moderator {
  /** 'openai', 'model' or 'off', for the log. */
  readonly kind: ModerationMode;
  /** Throws ModerationUnavailableError when the check itself fails; never any other error. */
  check(text: string, options?: CheckOptions): Promise<Verdict>;
}

export type ModerationMode = 'openai' | 'model' | 'off';

export type UnavailableKind =
  | 'timeout' // the checker took too long
  | 'aborted' // the caller cancelled
  | 'unreadable' // it answered something Muse cannot read
  | 'failed'; // any other failure (connection, HTTP error, model error)

/**
 * The check itself failed. `message` is for the log (no key, no stack); users get the
 * sentence from policy.ts instead. `cause` keeps the original error.
 */
export class ModerationUnavailableError extends Error {
  readonly kind: UnavailableKind;
  constructor(kind: UnavailableKind, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ModerationUnavailableError';
    this.kind = kind;
  }
}

export const CLEAN: Verdict = Object.freeze({ flagged: false, categories: [] });

/** The moderator for MUSE_MODERATION=off: everything passes, nothing is sent anywhere. */
export const allowAll: Moderator = {
  kind: 'off',
  async check() {
    return { flagged: false, categories: [] };
  },
};

const byLetters = new Map<string, Category>(CATEGORIES.map((c) => [lettersOf(c), c]));

/**
 * A category name as some checker wrote it ('self_harm', 'Self-Harm/Intent', 'sexual-minors')
 * to the normalized name, or undefined when it is not one of ours.
 */
export function normalizeCategory(name: string): Category | undefined {
  return byLetters.get(lettersOf(name));
}

function lettersOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}
