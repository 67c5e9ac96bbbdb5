import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UserFacingError } from '../engine/parts.js';
import type { Session } from '../engine/session.js';
import type { Localized } from '../i18n/index.js';
import { MAX_UPLOAD_BYTES, tooLarge } from '../net/download.js';

/** The files an import takes: a card or World Info as JSON, or a card PNG (engine/accept.ts). */
export const CARD_FILES: readonly string[] = ['.json', '.png', 'application/json', 'image/png'];

export interface Upload {
  name: string;
  data: Uint8Array;
}

/**
 * The file to import: the first attachment, or in the terminal a local file named by `path:`
 * (only there: elsewhere it would read files on the machine Muse runs on).
 */
export async function readUpload(session: Pick<Session, 'attachments' | 'ref'>, path: string | undefined, what: Localized): Promise<Upload> {
  if (path) {
    if (session.ref.platform !== 'terminal') {
      throw UserFacingError.of('bad_input', 'cards.pathTerminalOnly');
    }
    const full = resolve(path);
    let size: number;
    try {
      const st = await stat(full);
      if (!st.isFile()) throw UserFacingError.of('bad_input', 'cards.notAFile', { path });
      size = st.size;
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      throw UserFacingError.of('bad_input', 'cards.noFileAt', { path });
    }
    tooBig(basename(full), size);
    return { name: basename(full), data: await readFile(full) };
  }
  const file = session.attachments[0];
  if (!file) {
    if (session.ref.platform === 'slack') throw UserFacingError.of('bad_input', 'cards.postInSlack', { what });
    throw UserFacingError.of('bad_input', 'cards.attach', { what });
  }
  tooBig(file.name, file.data.byteLength);
  return { name: file.name, data: file.data };
}

/** The one upload limit (MAX_UPLOAD_BYTES), with the sentence the adapters' downloads give too. */
function tooBig(name: string, bytes: number): void {
  if (bytes > MAX_UPLOAD_BYTES) throw tooLarge(name, bytes);
}
