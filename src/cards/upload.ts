import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UserFacingError } from '../engine/parts.js';
import type { Session } from '../engine/session.js';

/** Largest file accepted for an import (card PNGs carry their picture). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export interface Upload {
  name: string;
  data: Uint8Array;
}

/**
 * The file to import: the first attachment, or in the terminal a local file named by `path:`
 * (only there: elsewhere it would read files on the machine Muse runs on).
 */
export async function readUpload(session: Pick<Session, 'attachments' | 'ref'>, path: string | undefined, what: string): Promise<Upload> {
  if (path) {
    if (session.ref.platform !== 'terminal') {
      throw new UserFacingError('bad_input', 'path: reads a file on the machine Muse runs on, so it works only in the terminal; attach the file instead.');
    }
    const full = resolve(path);
    let size: number;
    try {
      const st = await stat(full);
      if (!st.isFile()) throw new UserFacingError('bad_input', `${path} is not a file; nothing was imported.`);
      size = st.size;
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      throw new UserFacingError('bad_input', `There is no file at ${path}; nothing was imported.`);
    }
    tooBig(basename(full), size);
    return { name: basename(full), data: await readFile(full) };
  }
  const file = session.attachments[0];
  if (!file) {
    const how =
      session.ref.platform === 'slack'
        ? `Post ${what} in a DM with Muse (or in its thread) with the command as the message text, e.g. "lore import"`
        : `Attach ${what} to the command (in the terminal, give path:FILE)`;
    throw new UserFacingError('bad_input', `${how}; nothing was imported.`);
  }
  tooBig(file.name, file.data.byteLength);
  return { name: file.name, data: file.data };
}

function tooBig(name: string, bytes: number): void {
  if (bytes > MAX_UPLOAD_BYTES) {
    throw new UserFacingError(
      'bad_input',
      `${name} is ${(bytes / 1024 / 1024).toFixed(1)} MB; Muse imports files of at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, so nothing was imported.`,
    );
  }
}
