/** What is wrong with an imported file, as the end of a sentence ("it is not a PNG file"). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
