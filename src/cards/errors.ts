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
