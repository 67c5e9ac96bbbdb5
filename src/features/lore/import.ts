import { asCard, isObject, readJsonFile } from '../../cards/card.js';
import { ImportError, importRefused, quoted } from '../../cards/errors.js';
import type { Upload } from '../../cards/upload.js';
import type { Localized } from '../../i18n/index.js';
import { count, entryChars, MAX_ALIASES, MAX_BOOK_CHARS, MAX_NAME_CHARS } from './caps.js';
import { sameKey, uniqueNames } from './keys.js';
import { MAX_ENTRIES, MAX_TEXT_CHARS } from './types.js';

/** An entry read from a file, before it is stamped with who imported it. */
export interface ImportedEntry {
  key: string;
  aliases: string[];
  text: string;
  always: boolean;
}

export interface ImportedLore {
  /** "World Info", "the character_book of a Character Card V2", ... (by key: shown in the speaker's language). */
  format: Localized;
  entries: ImportedEntry[];
  /** Disabled entries, entries without content, entries with neither keys nor always-on. */
  skipped: { disabled: number; empty: number; keyless: number };
  /** Entries folded into an earlier one with the same key (contents joined). */
  merged: number;
}

/**
 * The lore in an uploaded file (see loreFromJson). A file that is malformed or over any cap
 * throws one sentence (a UserFacingError) and gives nothing: an import is all or nothing.
 */
export function loreFromUpload(upload: Upload): ImportedLore {
  try {
    return loreFromJson(readJsonFile(upload.data));
  } catch (err) {
    if (err instanceof ImportError) {
      throw importRefused(upload.name, err);
    }
    throw err;
  }
}

/**
 * Lore from a parsed file: a SillyTavern World Info file (`entries` keyed by uid, with `key`,
 * `content`, `constant`, `disable`, `comment`), a character book (`entries` array with `keys`,
 * `content`, `constant`, `enabled`), or a Character Card V2/V3 with a `character_book`.
 * Secondary keys (SillyTavern's optional filter) are not used for triggering.
 *
 * Time is linear in the file: entries sharing a key are joined through a map, and reading
 * stops at the first entry over a cap (MAX_ENTRIES entries, MAX_TEXT_CHARS per entry,
 * MAX_ALIASES aliases of MAX_NAME_CHARS, MAX_BOOK_CHARS in all), which throws an ImportError.
 */
export function loreFromJson(value: unknown): ImportedLore {
  const card = asCard(value);
  if (card) {
    if (card.data.character_book === undefined) throw new ImportError('lore.file.noBook', { name: quoted(card.data.name) });
    const format: Localized =
      card.spec === 'v1'
        ? { key: 'lore.format.cardBook' }
        : card.spec === 'chara_card_v2'
          ? { key: 'lore.format.cardBookV2' }
          : { key: 'lore.format.cardBookV3' };
    return fromBook(card.data.character_book, format);
  }
  if (isObject(value) && isObject(value.entries)) return fromWorldInfo(value.entries);
  if (isObject(value) && Array.isArray(value.entries)) return fromBook(value, { key: 'lore.format.book' });
  throw new ImportError('lore.file.notLore');
}

function fromWorldInfo(entries: Record<string, unknown>): ImportedLore {
  const out = new Collector({ key: 'lore.format.worldInfo' });
  for (const uid in entries) {
    if (!Object.hasOwn(entries, uid)) continue;
    const raw = entries[uid];
    const where: Localized = { key: 'lore.file.worldEntry', vars: { uid: quoted(uid, 40) } };
    if (!isObject(raw)) throw new ImportError('lore.file.notObject', { where });
    if (raw.disable === true) {
      out.skipped.disabled++;
      continue;
    }
    const keys = names(raw.key, where, 'key');
    const content = optionalText(raw.content, where, 'content');
    const label = optionalText(raw.comment, where, 'comment') || `World Info entry ${quoted(uid, 40)}`;
    out.add(where, keys, content, raw.constant === true, label);
  }
  return out.finish();
}

function fromBook(book: unknown, format: Localized): ImportedLore {
  if (!isObject(book) || !Array.isArray(book.entries)) throw new ImportError('lore.file.noEntries');
  const out = new Collector(format);
  for (let i = 0; i < book.entries.length; i++) {
    const raw: unknown = book.entries[i];
    const where: Localized = { key: 'lore.file.bookEntry', vars: { n: i + 1 } };
    if (!isObject(raw)) throw new ImportError('lore.file.notObject', { where });
    if (raw.enabled === false) {
      out.skipped.disabled++;
      continue;
    }
    const label = optionalText(raw.name, where, 'name') || optionalText(raw.comment, where, 'comment') || `character_book entry ${i + 1}`;
    out.add(where, names(raw.keys, where, 'keys'), optionalText(raw.content, where, 'content'), raw.constant === true, label);
  }
  return out.finish();
}

/** Gathers a file's entries, joining those that share a key, and enforces the caps as it goes. */
class Collector implements ImportedLore {
  readonly entries: ImportedEntry[] = [];
  readonly skipped = { disabled: 0, empty: 0, keyless: 0 };
  merged = 0;
  /** Entries by sameKey(key), and each entry's names by sameKey (to join aliases once each). */
  private readonly byKey = new Map<string, { entry: ImportedEntry; names: Set<string> }>();
  private chars = 0;

  constructor(readonly format: Localized) {}

  add(where: Localized, keys: string[], content: string, always: boolean, label: string): void {
    const text = content.trim();
    if (!text) {
      this.skipped.empty++;
      return;
    }
    // An always-on entry needs no trigger, but still a name to list and remove it by (`label`: never empty).
    const [key, ...aliases] = keys.length > 0 ? keys : always ? uniqueNames([label]) : [];
    if (!key) {
      this.skipped.keyless++;
      return;
    }
    if (key.length > MAX_NAME_CHARS) throw new ImportError('lore.file.keyTooLong', { where, max: MAX_NAME_CHARS });
    if (aliases.some((a) => a.length > MAX_NAME_CHARS)) throw new ImportError('lore.file.aliasTooLong', { where, max: MAX_NAME_CHARS });
    const id = sameKey(key);
    const same = this.byKey.get(id);
    if (!same) {
      if (this.entries.length === MAX_ENTRIES) throw new ImportError('lore.file.tooManyEntries', { max: count(MAX_ENTRIES) });
      const entry = { key, aliases, text, always };
      this.check(entry, where);
      this.entries.push(entry);
      this.byKey.set(id, { entry, names: new Set([id, ...aliases.map(sameKey)]) });
      this.chars += entryChars(entry);
    } else {
      const { entry, names } = same;
      const before = entryChars(entry);
      entry.text = `${entry.text}\n${text}`;
      for (const alias of aliases) {
        const name = sameKey(alias);
        if (names.has(name)) continue;
        names.add(name);
        entry.aliases.push(alias);
      }
      entry.always ||= always;
      this.check(entry, { key: 'lore.file.joined', vars: { key: entry.key } });
      this.chars += entryChars(entry) - before;
      this.merged++;
    }
    if (this.chars > MAX_BOOK_CHARS) throw new ImportError('lore.file.tooManyChars', { max: count(MAX_BOOK_CHARS) });
  }

  private check(entry: ImportedEntry, where: Localized): void {
    if (entry.text.length > MAX_TEXT_CHARS) {
      throw new ImportError('lore.file.textTooLong', { key: quoted(entry.key), length: count(entry.text.length), max: count(MAX_TEXT_CHARS) });
    }
    if (entry.aliases.length > MAX_ALIASES) throw new ImportError('lore.file.tooManyAliases', { where, n: count(entry.aliases.length), max: MAX_ALIASES });
  }

  finish(): ImportedLore {
    if (this.entries.length === 0) throw new ImportError('lore.file.noUsable');
    return { format: this.format, entries: this.entries, skipped: this.skipped, merged: this.merged };
  }
}

/**
 * The names in a key field (a list, or one comma-separated string), as uniqueNames gives them,
 * read one by one so that a list far over the cap is refused at its first name too many.
 */
function names(value: unknown, where: Localized, field: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list)) throw new ImportError('lore.file.notWords', { where, field });
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list as unknown[]) {
    if (typeof raw !== 'string') throw new ImportError('lore.file.notWords', { where, field });
    const [name] = uniqueNames([raw]);
    if (!name || seen.has(sameKey(name))) continue;
    seen.add(sameKey(name));
    out.push(name);
    if (out.length > MAX_ALIASES + 1) throw new ImportError('lore.file.tooManyNames', { where, field, n: MAX_ALIASES + 1, max: MAX_ALIASES });
  }
  return out;
}

function optionalText(value: unknown, where: Localized, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ImportError('lore.file.notText', { where, field });
  return value;
}
