import { UserFacingError } from '../engine/parts.js';
import { english, type Localized, type Vars } from '../i18n/index.js';

/**
 * What is wrong with an imported file, as the end of a sentence ("it is not a PNG file"), by key
 * (src/i18n: `cards.*`, or the importing feature's own); `message` is the English one, for the
 * log. `cause` (a parser's own message) is for the log too.
 */
export class ImportError extends Error {
  /** The sentence's end by key, rendered in the speaker's language when it is shown. */
  readonly text: Localized;
  constructor(key: string, vars?: Vars, options?: { cause?: unknown }) {
    super(english(key, vars), options);
    this.name = 'ImportError';
    this.text = vars ? { key, vars } : { key };
  }
}

/** The one sentence an import refused for `err` shows: "Could not import world.json: …; nothing was imported." */
export function importRefused(file: string, err: ImportError): UserFacingError {
  return UserFacingError.of('bad_input', 'cards.refused', { file, reason: err.text }, { cause: err.cause });
}

/**
 * Text from the file (a card's name, a key) as it may appear inside an ImportError's sentence: on
 * one line (control characters and line breaks become spaces), trimmed, and at most `max`
 * characters (then "…"), so a hostile name cannot break the sentence apart or flood it.
 */
export function quoted(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
