import { asCard, isObject } from '../../cards/card.js';
import { ImportError } from '../../cards/errors.js';
import { sameKey, uniqueNames } from './keys.js';
import { MAX_TEXT_CHARS } from './types.js';

/** An entry read from a file, before it is stamped with who imported it. */
export interface ImportedEntry {
  key: string;
  aliases: string[];
  text: string;
  always: boolean;
}

export interface ImportedLore {
  /** "World Info", "character_book of a Character Card V2", ... */
  format: string;
  entries: ImportedEntry[];
  /** Disabled entries, entries without content, entries with neither keys nor always-on. */
  skipped: { disabled: number; empty: number; keyless: number };
  /** Entries folded into an earlier one with the same key (contents joined). */
  merged: number;
}

/**
 * Lore from a parsed file: a SillyTavern World Info file (`entries` keyed by uid, with `key`,
 * `content`, `constant`, `disable`, `comment`), a character book (`entries` array with `keys`,
 * `content`, `constant`, `enabled`), or a Character Card V2/V3 with a `character_book`.
 * Secondary keys (SillyTavern's optional filter) are not used for triggering.
 */
export function loreFromJson(value: unknown): ImportedLore {
  const card = asCard(value);
  if (card) {
    if (card.data.character_book === undefined) throw new ImportError(`the character card "${card.data.name}" has no character_book (lore) in it`);
    const label = card.spec === 'v1' ? 'a character card' : `a Character Card ${card.spec === 'chara_card_v2' ? 'V2' : 'V3'}`;
    return fromBook(card.data.character_book, `the character_book of ${label}`);
  }
  if (isObject(value) && isObject(value.entries)) return fromWorldInfo(value.entries);
  if (isObject(value) && Array.isArray(value.entries)) return fromBook(value, 'a character book');
  throw new ImportError('it is neither a SillyTavern World Info file (an "entries" object) nor a Character Card V2/V3');
}

function fromWorldInfo(entries: Record<string, unknown>): ImportedLore {
  const out = start('World Info');
  for (const [uid, raw] of Object.entries(entries)) {
    const where = `World Info entry ${uid}`;
    if (!isObject(raw)) throw new ImportError(`${where} is not an object`);
    if (raw.disable === true) {
      out.skipped.disabled++;
      continue;
    }
    const keys = names(raw.key, where, 'key');
    add(out, where, keys, optionalText(raw.content, where, 'content'), raw.constant === true, optionalText(raw.comment, where, 'comment'));
  }
  return finish(out);
}

function fromBook(book: unknown, format: string): ImportedLore {
  if (!isObject(book) || !Array.isArray(book.entries)) throw new ImportError('its character_book has no "entries" list');
  const out = start(format);
  book.entries.forEach((raw, i) => {
    const where = `character_book entry ${i + 1}`;
    if (!isObject(raw)) throw new ImportError(`${where} is not an object`);
    if (raw.enabled === false) {
      out.skipped.disabled++;
      return;
    }
    const label = optionalText(raw.name, where, 'name') || optionalText(raw.comment, where, 'comment');
    add(out, where, names(raw.keys, where, 'keys'), optionalText(raw.content, where, 'content'), raw.constant === true, label);
  });
  return finish(out);
}

function start(format: string): ImportedLore {
  return { format, entries: [], skipped: { disabled: 0, empty: 0, keyless: 0 }, merged: 0 };
}

function add(out: ImportedLore, where: string, keys: string[], content: string, always: boolean, label: string): void {
  const text = content.trim();
  if (!text) {
    out.skipped.empty++;
    return;
  }
  // An always-on entry needs no trigger, but still a name to list and remove it by.
  const [key, ...aliases] = keys.length > 0 ? keys : always ? uniqueNames([label || where]) : [];
  if (!key) {
    out.skipped.keyless++;
    return;
  }
  if (key.length > 100) throw new ImportError(`${where} has a key longer than 100 characters`);
  const same = out.entries.find((e) => sameKey(e.key) === sameKey(key));
  if (same) {
    same.text = `${same.text}\n${text}`;
    same.aliases = uniqueNames([...same.aliases, ...aliases]).filter((a) => sameKey(a) !== sameKey(same.key));
    same.always ||= always;
    out.merged++;
  } else {
    out.entries.push({ key, aliases, text, always });
  }
}

function finish(out: ImportedLore): ImportedLore {
  for (const e of out.entries) {
    if (e.text.length > MAX_TEXT_CHARS) {
      throw new ImportError(
        `the entry "${e.key}" is ${e.text.length.toLocaleString('en-US')} characters long; a lore entry holds at most ${MAX_TEXT_CHARS.toLocaleString('en-US')}`,
      );
    }
  }
  if (out.entries.length === 0) throw new ImportError('it has no usable lore entries (each needs a key and some content)');
  return out;
}

function names(value: unknown, where: string, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return uniqueNames(value.split(','));
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return uniqueNames(value);
  throw new ImportError(`${where} has a "${field}" that is not a list of words`);
}

function optionalText(value: unknown, where: string, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ImportError(`${where} has a "${field}" that is not text`);
  return value;
}
