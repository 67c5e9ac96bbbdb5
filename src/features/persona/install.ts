import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserFacingError } from '../../engine/parts.js';
import { parsePersona } from '../../personas/parse.js';
import type { PersonaRegistry } from '../../personas/registry.js';
import type { CardPersona } from './from-card.js';

/**
 * Writes an imported persona (and its card JSON) into the registry's first directory. Checks the
 * file parses first, refuses to overwrite a persona that was not imported from a card, writes
 * each file whole (temporary file, then rename) and takes the card file back if the persona
 * file cannot be written: nothing is left half-imported.
 */
export function installPersona(registry: PersonaRegistry, persona: CardPersona): string {
  const dir = registry.directory;
  if (!dir) throw new UserFacingError('internal', 'Muse has no persona folder to write to; set MUSE_PERSONAS_DIR.');
  const file = join(dir, `${persona.name}.md`);
  const cardFile = join(dir, persona.cardFile);
  try {
    parsePersona(file, persona.markdown);
  } catch (err) {
    throw new UserFacingError('bad_input', `The persona made from this card is not valid (${(err as Error).message}); nothing was imported.`);
  }
  const existing = registry.get(persona.name);
  const imported = existsSync(file) && existsSync(cardFile);
  if ((existing && !(imported && existing.file === shown(file))) || (existsSync(file) && !imported)) {
    throw new UserFacingError(
      'bad_input',
      `There is already a persona named "${persona.name}"; import the card under another name with name:, nothing was imported.`,
    );
  }
  const hadCard = existsSync(cardFile);
  writeWhole(cardFile, persona.cardJson);
  try {
    writeWhole(file, persona.markdown);
  } catch (err) {
    if (!hadCard) tryUnlink(cardFile);
    throw err;
  }
  registry.reload();
  return shown(file);
}

function writeWhole(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content, 'utf8');
    renameSync(tmp, path);
  } catch (err) {
    tryUnlink(tmp);
    throw new UserFacingError(
      'internal',
      `Muse could not save the persona file (${(err as NodeJS.ErrnoException).code ?? 'write failed'}); nothing was imported.`,
      {
        cause: err,
      },
    );
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** A path as the registry shows it (relative to the working directory). */
function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
