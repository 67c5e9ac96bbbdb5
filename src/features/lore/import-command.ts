import { readUpload } from '../../cards/upload.js';
import { UserFacingError } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { changeBook } from './book.js';
import { bookChars, count, MAX_BOOK_CHARS } from './caps.js';
import { loreFromUpload } from './import.js';
import { mergeEntries } from './merge.js';
import { MAX_ENTRIES, type LoreEntry } from './types.js';

/**
 * `lore import`: reads the attached file (or, in the terminal, `path`), turns it into entries and
 * adds them all in one write (an entry with the same key as an existing one replaces it).
 * Returns the sentence to show; a bad file, or one that would take the conversation's lore over
 * a cap, throws one sentence and changes nothing. Linear in the file and the book.
 */
export async function importLore(session: Session, path: string | undefined): Promise<string> {
  const upload = await readUpload(session, path, 'a SillyTavern World Info JSON or a character card (JSON or PNG)');
  const lore = loreFromUpload(upload);
  const by = `${session.speaker.name} (${upload.name})`;
  const incoming = lore.entries.map((e): LoreEntry => ({ ...e, by, byId: session.speaker.id, at: session.now() }));
  let replaced = 0;
  await changeBook(session, (stored) => {
    const merged = mergeEntries(stored, incoming);
    replaced = merged.replaced;
    const { entries } = merged;
    if (entries.length > MAX_ENTRIES) {
      throw new UserFacingError(
        'bad_input',
        `Importing ${upload.name} would make ${count(entries.length)} lore entries here, more than the ${count(MAX_ENTRIES)} a conversation holds; nothing was imported.`,
      );
    }
    const chars = bookChars(entries);
    if (chars > MAX_BOOK_CHARS) {
      throw new UserFacingError(
        'bad_input',
        `Importing ${upload.name} would make ${count(chars)} characters of lore here, more than the ${count(MAX_BOOK_CHARS)} a conversation holds; nothing was imported.`,
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
