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
  const upload = await readUpload(session, path, { key: 'cards.worldOrCard' });
  const lore = loreFromUpload(upload);
  const by = `${session.speaker.name} (${upload.name})`;
  const incoming = lore.entries.map((e): LoreEntry => ({ ...e, by, byId: session.speaker.id, at: session.now() }));
  let replaced = 0;
  await changeBook(session, (stored) => {
    const merged = mergeEntries(stored, incoming);
    replaced = merged.replaced;
    const { entries } = merged;
    if (entries.length > MAX_ENTRIES) {
      throw UserFacingError.of('bad_input', 'lore.import.tooManyEntries', { file: upload.name, n: count(entries.length), max: count(MAX_ENTRIES) });
    }
    const chars = bookChars(entries);
    if (chars > MAX_BOOK_CHARS) {
      throw UserFacingError.of('bad_input', 'lore.import.tooManyChars', { file: upload.name, n: count(chars), max: count(MAX_BOOK_CHARS) });
    }
    return entries;
  });
  const { t } = session;
  const notes: string[] = [];
  if (replaced) notes.push(replaced === 1 ? t('lore.import.replacedOne') : t('lore.import.replaced', { n: replaced }));
  if (lore.merged) notes.push(t('lore.import.merged', { n: lore.merged }));
  const { disabled, empty, keyless } = lore.skipped;
  if (disabled) notes.push(t('lore.import.disabled', { n: disabled }));
  if (empty) notes.push(t('lore.import.empty', { n: empty }));
  if (keyless) notes.push(t('lore.import.keyless', { n: keyless }));
  const always = lore.entries.filter((e) => e.always).length;
  if (always) notes.push(t('lore.import.always', { n: always }));
  const n = lore.entries.length;
  const said = { file: upload.name, format: lore.format, notes: notes.length ? t('lore.import.notes', { list: notes.join(t('lore.import.noteSep')) }) : '' };
  return n === 1 ? t('lore.import.doneOne', said) : t('lore.import.done', { ...said, n });
}
