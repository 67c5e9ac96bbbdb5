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
    if (entries.length > MAX_ENTRIES)
      throw new UserFacingError('bad_input', `This conversation already has ${MAX_ENTRIES} lore entries, the most it can hold; remove some first.`);
    if (bookChars(entries) > MAX_BOOK_CHARS)
      throw new UserFacingError(
        'bad_input',
        `That would make more than the ${count(MAX_BOOK_CHARS)} characters of lore a conversation holds; shorten it or remove some entries first.`,
      );
    done = { entry, replaced: !!replaced };
    return entries;
  });
  yield* session.say(`${done!.replaced ? 'Lore updated' : 'Lore added'}: ${describeEntry(done!.entry)}`);
}

/** `lore list`: the entries, always-on first, to the speaker alone. */
export async function* listEntries(session: Session): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  if (entries.length === 0) {
    yield* session.say('There is no lore here yet. Add some with /lore add <key> <text>.', true);
    return;
  }
  const shown = [...entries].sort((a, b) => Number(b.always) - Number(a.always) || a.key.localeCompare(b.key)).slice(0, 50);
  const lines = shown.map((e) => `• ${describeEntry(e, 90)} (by ${e.by})`);
  if (entries.length > shown.length) lines.push(`…and ${entries.length - shown.length} more.`);
  yield* session.say(
    `Lore (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}; /lore why shows what the last reply used):\n${lines.join('\n')}`,
    true,
  );
}

/** `lore why`: what the last reply used and skipped, to the speaker alone. */
export async function* whyEntries(session: Session): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  const why = entries.length ? await readWhy(session) : undefined;
  yield* session.say(describeWhy(entries.length, why), true);
}

/** `lore remove`: removes the entry with that key or alias. */
export async function* removeEntry(session: Session, key: string): AsyncGenerator<ReplyPart> {
  const { entries } = await readBook(session);
  const current = entries[findEntry(entries, key)];
  if (!current) throw new UserFacingError('bad_input', `There is no lore entry "${key}" here; /lore list shows them.`);
  await requireOwnOrManager(session, current, 'remove');
  let removed: LoreEntry | undefined;
  await changeBook(session, (stored) => {
    const at = findEntry(stored, key);
    removed = stored[at];
    if (!removed) throw new UserFacingError('bad_input', `There is no lore entry "${key}" here; /lore list shows them.`);
    if (removed.byId !== current.byId && removed.byId !== session.speaker.id) throw changedMeanwhile(key);
    return stored.filter((_, i) => i !== at);
  });
  yield* session.say(`Lore removed: ${removed!.key} (added by ${removed!.by}), removed by ${session.speaker.name}.`);
}

function changedMeanwhile(key: string): UserFacingError {
  return new UserFacingError('bad_input', `The lore entry "${key}" was changed by someone else just now; nothing was changed, please try again.`);
}

/** In a shared channel, changing someone else's entry (or one whose author is unknown) needs a manager. */
async function requireOwnOrManager(session: Session, entry: LoreEntry, what: 'replace' | 'remove'): Promise<void> {
  if (entry.byId === session.speaker.id) return;
  await session.requireManager(`${what} lore entries that other people added`, `"${entry.key}" was added by ${entry.by}.`);
}

/** `lore clear`: removes every entry. */
export async function* clearEntries(session: Session): AsyncGenerator<ReplyPart> {
  let count = 0;
  await changeBook(session, (stored) => {
    count = stored.length;
    return [];
  });
  yield* session.say(count ? `All ${count} lore ${count === 1 ? 'entry was' : 'entries were'} removed.` : 'There was no lore here to remove.');
}
