import { UserFacingError } from './parts.js';

/** A file as a platform announces it, before anything is downloaded. */
export interface AnnouncedFile {
  name: string;
  contentType?: string | undefined;
}

/**
 * Whether a file is of a kind an attachment option takes. `accept` lists extensions ('.json')
 * and media types ('image/png'), as HTML's accept attribute does; no list takes any file.
 */
export function acceptsFile(accept: readonly string[] | undefined, file: AnnouncedFile): boolean {
  if (!accept?.length) return true;
  const name = file.name.toLowerCase();
  const type = file.contentType?.split(';')[0]?.trim().toLowerCase();
  return accept.some((a) => (a.startsWith('.') ? name.endsWith(a.toLowerCase()) : a.toLowerCase() === type));
}

/** "JSON or PNG" from ['.json', '.png', 'application/json']. */
export function describeAccept(accept: readonly string[]): string {
  const kinds = [...new Set(accept.filter((a) => a.startsWith('.')).map((a) => a.slice(1).toUpperCase()))];
  return kinds.length ? kinds.join(' or ') : accept.join(' or ');
}

/**
 * The file a command takes from the files that came with it: the first of a kind it accepts. Only
 * that one is downloaded. None: a sentence naming what the command takes (`command`: "/lore import").
 */
export function pickFile<F>(files: readonly F[], accept: readonly string[] | undefined, announced: (file: F) => AnnouncedFile, command: string): F {
  const file = files.find((f) => acceptsFile(accept, announced(f)));
  if (file) return file;
  const kinds = accept?.length ? { key: 'options.aFileOf', vars: { kinds: describeAccept(accept) } } : { key: 'options.aFile' };
  throw UserFacingError.of('bad_input', 'options.noFile', { command, kinds });
}
