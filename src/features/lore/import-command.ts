import { readJsonFile } from '../../cards/card.js';
import { ImportError } from '../../cards/errors.js';
import { readUpload } from '../../cards/upload.js';
import { UserFacingError } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { changeBook, upsert } from './book.js';
import { loreFromJson, type ImportedLore } from './import.js';
import { MAX_ENTRIES, type LoreEntry } from './types.js';

/**
 * `lore import`: reads the attached file (or, in the terminal, `path`), turns it into entries and
 * adds them all in one write (an entry with the same key as an existing one replaces it).
 * Returns the sentence to show; a bad file throws one sentence and changes nothing.
 */
export async function importLore(session: Session, path: string | undefined): Promise<string> {
  const upload = await readUpload(session, path, 'a SillyTavern World Info JSON or a character card (JSON or PNG)');
  let lore: ImportedLore;
  try {
    lore = loreFromJson(readJsonFile(upload.data));
  } catch (err) {
    if (err instanceof ImportError) throw new UserFacingError('bad_input', `Could not import ${upload.name}: ${err.message}; nothing was imported.`);
    throw err;
  }
  let replaced = 0;
  await changeBook(session, (stored) => {
    let entries = [...stored];
    replaced = 0;
    for (const e of lore.entries) {
      const entry: LoreEntry = { ...e, by: `${session.speaker.name} (${upload.name})`, at: session.now() };
      const next = upsert(entries, entry);
      entries = next.entries;
      if (next.replaced) replaced++;
    }
    if (entries.length > MAX_ENTRIES) {
      throw new UserFacingError(
        'bad_input',
        `Importing ${upload.name} would make ${entries.length} lore entries here, more than the ${MAX_ENTRIES} a conversation holds; nothing was imported.`,
      );
    }
    return entries;
  });
  const n = lore.entries.length;
  const notes: string[] = [];
  if (replaced) notes.push(`${replaced} replaced ${replaced === 1 ? 'an entry' : 'entries'} with the same key`);
  if (lore.merged) notes.push(`${lore.merged} sharing a key with another were joined to it`);
  const { disabled, empty, keyless } = lore.skipped;
  if (disabled) notes.push(`${disabled} disabled skipped`);
  if (empty) notes.push(`${empty} without content skipped`);
  if (keyless) notes.push(`${keyless} without keys skipped`);
  const always = lore.entries.filter((e) => e.always).length;
  if (always) notes.push(`${always} always on`);
  return `Imported ${n} lore ${n === 1 ? 'entry' : 'entries'} from ${upload.name} (${lore.format})${notes.length ? `: ${notes.join(', ')}` : ''}.`;
}
