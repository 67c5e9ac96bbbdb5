import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { changeBook, findEntry, readBook, readWhy, upsert } from './book.js';
import { bookChars, count, MAX_BOOK_CHARS } from './caps.js';
import { describeEntry, describeWhy } from './describe.js';
import { parseKeySpec, sameKey } from './keys.js';
import { MAX_ENTRIES, type LoreEntry } from './types.js';

/** `lore add`: adds an entry, or replaces the one with the same key (keeping what was not given). */
export async function* addEntry(session: Session, opts: { key: string; text: string; always?: boolean | undefined }): AsyncGenerator<ReplyPart> {
  const { key, aliases } = parseKeySpec(opts.key);
  const current = (await readBook(session)).entries.find((e) => sameKey(e.key) === sameKey(key));
  if (current) await requireOwnOrManager(session, current, 'replace');
  let done: { entry: LoreEntry; replaced: boolean } | undefined;
  await changeBook(session, (stored) => {
    const old = stored.find((e) => sameKey(e.key) === sameKey(key));
    // Someone else's entry appeared (or changed hands) since the check: refuse rather than overwrite it unchecked.
    if (old && old.byId !== current?.byId && old.byId !== session.speaker.id) throw changedMeanwhile(key);
    const entry: LoreEntry = {
      key,
      aliases: aliases.length ? aliases : (old?.aliases ?? []),
      text: opts.text,
      always: opts.always ?? old?.always ?? false,
      by: session.speaker.name,
      byId: session.speaker.id,
      at: session.now(),
    };
    const { entries, replaced } = upsert(stored, entry);
    if (entries.length > MAX_ENTRIES) throw UserFacingError.of('bad_input', 'lore.edit.full', { max: MAX_ENTRIES });
    if (bookChars(entries) > MAX_BOOK_CHARS) throw UserFacingError.of('bad_input', 'lore.edit.bookFull', { max: count(MAX_BOOK_CHARS) });
    done = { entry, replaced: !!replaced };
    return entries;
  });
  const entry = describeEntry(done!.entry, session.t);
  yield* session.say(done!.replaced ? session.t('lore.edit.updated', { entry }) : session.t('lore.edit.added', { entry }));
}

/** `lore list`: the entries, always-on first, to the speaker alone. */
export async function* listEntries(session: Session): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  if (entries.length === 0) {
    yield* session.say(session.t('lore.edit.empty'), true);
    return;
  }
  const shown = [...entries].sort((a, b) => Number(b.always) - Number(a.always) || a.key.localeCompare(b.key)).slice(0, 50);
  const lines = shown.map((e) => session.t('lore.edit.line', { entry: describeEntry(e, session.t, 90), by: e.by }));
  if (entries.length > shown.length) lines.push(session.t('lore.edit.more', { n: entries.length - shown.length }));
  const head = entries.length === 1 ? session.t('lore.edit.headOne') : session.t('lore.edit.head', { n: entries.length });
  yield* session.say(`${head}\n${lines.join('\n')}`, true);
}

/** `lore why`: what the last reply used and skipped, to the speaker alone. */
export async function* whyEntries(session: Session): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  const why = entries.length ? await readWhy(session) : undefined;
  yield* session.say(describeWhy(entries.length, why, session.t), true);
}

/** `lore remove`: removes the entry with that key or alias. */
export async function* removeEntry(session: Session, key: string): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  const current = entries[findEntry(entries, key)];
  if (!current) throw UserFacingError.of('bad_input', 'lore.edit.noEntry', { key });
  await requireOwnOrManager(session, current, 'remove');
  let removed: LoreEntry | undefined;
  await changeBook(session, (stored) => {
    const at = findEntry(stored, key);
    removed = stored[at];
    if (!removed) throw UserFacingError.of('bad_input', 'lore.edit.noEntry', { key });
    if (removed.byId !== current.byId && removed.byId !== session.speaker.id) throw changedMeanwhile(key);
    return stored.filter((_, i) => i !== at);
  });
  yield* session.say(session.t('lore.edit.removed', { key: removed!.key, by: removed!.by, remover: session.speaker.name }));
}

function changedMeanwhile(key: string): UserFacingError {
  return UserFacingError.of('bad_input', 'lore.edit.changed', { key });
}

/** In a shared channel, changing someone else's entry (or one whose author is unknown) needs a manager. */
async function requireOwnOrManager(session: Session, entry: LoreEntry, what: 'replace' | 'remove'): Promise<void> {
  if (entry.byId === session.speaker.id) return;
  const instead = { key: 'lore.edit.addedBy', vars: { key: entry.key, by: entry.by } };
  await session.requireManager(what === 'replace' ? { key: 'lore.edit.whatReplace' } : { key: 'lore.edit.whatRemove' }, instead);
}

/** `lore clear`: removes every entry. */
export async function* clearEntries(session: Session): AsyncGenerator<ReplyPart> {
  let count = 0;
  await changeBook(session, (stored) => {
    count = stored.length;
    return [];
  });
  yield* session.say(
    count === 0 ? session.t('lore.edit.clearedNone') : count === 1 ? session.t('lore.edit.clearedOne') : session.t('lore.edit.cleared', { n: count }),
  );
}
