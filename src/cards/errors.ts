/**
 * What is wrong with an imported file, as the end of a sentence ("it is not a PNG file"); `cause`
 * (a parser's own message) is for the log.
 */
export class ImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
  }
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
