import { english, type Translate } from '../i18n/index.js';
import type { Turn } from '../memory/types.js';
import type { ImageInput } from '../model/types.js';
import { acceptsFile, type AnnouncedFile } from './accept.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import type { Attachment } from './session-init.js';

/**
 * Pictures people show Muse with a message (or a command that takes one, `/story new`): checked
 * here, once, for every platform. They reach a model that sees images with the turn they came
 * with and nothing later; the stored turn keeps only a note of each one's name.
 */

/** The kinds of picture taken, as an attachment option's `accept` (see engine/accept.ts). */
export const IMAGE_ACCEPT: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', '.png', '.jpg', '.jpeg', '.gif', '.webp'];
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
export const MAX_IMAGES = 4;

/** What a reply says (in English) when its model cannot see the pictures that came with the turn. */
export const CANNOT_SEE = english('pictures.cannotSee');

/** Whether a file, as a platform announces it, says it is a picture (its bytes are checked after the download). */
export function looksLikeImage(file: AnnouncedFile): boolean {
  return acceptsFile(IMAGE_ACCEPT, file);
}

/**
 * Checks the files that came with a turn as the platform announced them, before any download: at
 * most MAX_IMAGES, each one a picture by its name or type (its bytes are checked after).
 */
export function checkAnnounced(files: readonly AnnouncedFile[]): void {
  if (files.length > MAX_IMAGES) throw tooMany(files.length);
  const other = files.find((f) => !looksLikeImage(f));
  if (other) throw notAPicture(other.name);
}

function tooMany(n: number): UserFacingError {
  return UserFacingError.of('bad_input', 'pictures.tooMany', { max: MAX_IMAGES, n });
}

function notAPicture(name: string): UserFacingError {
  return UserFacingError.of('bad_input', 'pictures.notAPicture', { name });
}

/** The picture's type from its first bytes (PNG, JPEG, GIF, WebP), whatever its name says. */
export function sniffImage(data: Uint8Array): string | undefined {
  const at = (i: number, ...bytes: number[]): boolean => bytes.every((b, j) => data[i + j] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (at(4, 0x37, 0x61) || at(4, 0x39, 0x61))) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/** The pictures that came with a turn, checked: at most MAX_IMAGES, each a PNG, JPEG, GIF or WebP of at most MAX_IMAGE_BYTES. */
export function checkImages(files: readonly Attachment[]): ImageInput[] {
  if (files.length > MAX_IMAGES) throw tooMany(files.length);
  return files.map((file) => {
    if (file.data.byteLength > MAX_IMAGE_BYTES) {
      throw UserFacingError.of('bad_input', 'pictures.tooLarge', { name: file.name, mb: MAX_IMAGE_BYTES / (1024 * 1024) });
    }
    const mime = sniffImage(file.data);
    if (!mime) throw notAPicture(file.name);
    return { name: file.name, mime, data: file.data };
  });
}

/** The checked pictures a plan shows its model: a plain turn's files, or those of a command's image option. */
export function imagesOf(plan: { kind: string; image?: boolean }, files: readonly Attachment[] | undefined): ImageInput[] {
  const shows = plan.kind === 'turn' || (plan.kind === 'command' && plan.image === true);
  return shows && files?.length ? checkImages(files) : [];
}

/** The turn as stored and shown in the context: its text with a note of each picture ("[image: cat.png]"), never the picture. */
export function withImageNotes(turn: Turn, images: readonly ImageInput[]): Turn {
  if (!images.length) return turn;
  const notes = images.map((image) => `[image: ${image.name.replace(/[[\]\n]/g, ' ')}]`).join(' ');
  return { ...turn, text: turn.text ? `${turn.text} ${notes}` : notes };
}

/** What toldIfUnseen needs of the session a turn runs in. */
interface SeenBy {
  readonly images: readonly ImageInput[];
  readonly imagesSeen: boolean;
  readonly t: Translate;
}

/**
 * A turn's parts, with one notice before its 'done' when it came with pictures and no reply in it
 * used them: a message a turn hook claims (a vote, a quiz answer) takes words only, and the
 * sender must not believe Muse looked. What the turn does is unchanged; nothing of the picture is kept.
 */
export async function* toldIfUnseen(session: SeenBy, parts: AsyncIterable<ReplyPart>): AsyncGenerator<ReplyPart> {
  let ended = false;
  for await (const part of parts) {
    if (!ended && part.type === 'done') yield* unseenNotice(session);
    if (part.type === 'done' || part.type === 'error') ended = true;
    yield part;
  }
  if (!ended) yield* unseenNotice(session);
}

function* unseenNotice(session: SeenBy): Generator<ReplyPart> {
  const n = session.images.length;
  if (!n || session.imagesSeen) return;
  yield { type: 'notice', text: n === 1 ? session.t('pictures.unseen') : session.t('pictures.unseenMany', { n }) };
}
