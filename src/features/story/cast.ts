import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import { personaNamed } from '../../engine/personas.js';
import type { Session } from '../../engine/session.js';
import type { ConversationMeta } from '../../memory/types.js';
import type { Persona } from '../../personas/schema.js';
import { english } from '../../i18n/index.js';
import { requireState, storedState, withState, type CastMember, type StoryState } from './state.js';

/**
 * A story's cast: characters the narrator gives lines to, each posted under the character's own
 * name and avatar (see cast-lines.ts for the convention the narrator writes them in). The cast
 * lives in the story's state, bounded: CAST_LIMITS.
 */
export const CAST_LIMITS = { members: 12, name: 32, avatarUrl: 500, voice: 400 } as const;

/** What a name may be: letters, digits, spaces and a few marks, starting with a letter or digit. */
const CAST_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} .'’-]*$/u;

/** The cast as stored (none before any was added). */
export function castOf(state: Pick<StoryState, 'cast'> | undefined): CastMember[] {
  return state?.cast ?? [];
}

/** The cast of the conversation's story, from its meta. */
export function castIn(meta: ConversationMeta): CastMember[] {
  return castOf(storedState(meta));
}

/** `story cast add <name> [persona] [avatar]`: any player (anyone in a DM or the terminal) adds a character. */
export async function* addCastMember(
  session: Session,
  options: { name: string; persona?: string | undefined; avatar?: string | undefined },
): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  const name = checkName(options.name);
  const avatarUrl = options.avatar === undefined ? undefined : checkAvatar(options.avatar);
  const cast = castOf(state);
  if (!session.ref.dm && !state.players.some((p) => p.id === session.speaker.id)) {
    throw UserFacingError.of('forbidden', 'story.cast.notPlayer');
  }
  if (cast.some((m) => same(m.name, name))) throw UserFacingError.of('bad_input', 'story.cast.already', { name });
  if (cast.length >= CAST_LIMITS.members) {
    throw UserFacingError.of('bad_input', 'story.cast.full', { max: CAST_LIMITS.members });
  }
  const persona = options.persona ? await personaNamed(session.personas, session.tenant, options.persona) : undefined;
  const member: CastMember = {
    name,
    addedBy: session.speaker.id,
    ...(persona ? { persona: persona.name, voice: voiceOf(persona) } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
  };
  await session.commitMeta(withState(session.meta, { ...state, cast: [...cast, member] }));
  const t = session.t;
  const look = avatarUrl ? t('story.cast.withAvatar') : t('story.cast.noAvatar');
  const voice = persona ? t('story.cast.voice', { persona: persona.name }) : '';
  yield* session.say(t('story.cast.added', { name, voice, look }));
}

/** `story cast list`. */
export async function* listCast(session: Session): AsyncGenerator<ReplyPart> {
  const cast = castOf(requireState(session));
  if (cast.length === 0) {
    yield* session.say(session.t('story.cast.empty'));
    return;
  }
  const t = session.t;
  const lines = cast.map((m) =>
    t('story.cast.line', {
      name: m.name,
      persona: m.persona ? t('story.cast.linePersona', { persona: m.persona }) : '',
      avatar: m.avatarUrl ? t('story.cast.lineAvatar') : '',
    }),
  );
  yield* session.say([t('story.cast.head', { n: cast.length, max: CAST_LIMITS.members }), ...lines].join('\n'));
}

/** `story cast remove <name>`: the one who added the character, or a manager. */
export async function* removeCastMember(session: Session, name: string): AsyncGenerator<ReplyPart> {
  const state = requireState(session);
  const cast = castOf(state);
  const member = cast.find((m) => same(m.name, name.trim()));
  if (!member) {
    if (cast.length === 0) throw UserFacingError.of('bad_input', 'story.cast.missing', { name: name.trim() });
    const names = cast.map((m) => m.name).join(english('story.cast.nameSep'));
    throw UserFacingError.of('bad_input', 'story.cast.missingHas', { name: name.trim(), names });
  }
  if (!session.ref.dm && member.addedBy !== session.speaker.id) await session.requireManager({ key: 'story.cast.whatRemove' });
  await session.commitMeta(withState(session.meta, { ...state, cast: cast.filter((m) => m !== member) }));
  yield* session.say(session.t('story.cast.removed', { name: member.name }));
}

function checkName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (!name || name.length > CAST_LIMITS.name || !CAST_NAME.test(name)) {
    throw UserFacingError.of('bad_input', 'story.cast.badName', { max: CAST_LIMITS.name });
  }
  return name;
}

function checkAvatar(raw: string): string {
  const value = raw.trim();
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || value.length > CAST_LIMITS.avatarUrl || /\s/.test(value)) {
    throw UserFacingError.of('bad_input', 'story.cast.badAvatar', { max: CAST_LIMITS.avatarUrl });
  }
  return url.href;
}

function voiceOf(persona: Persona): string {
  const text = `${persona.description} ${persona.prompt}`.replace(/\s+/g, ' ').trim();
  return text.length > CAST_LIMITS.voice ? `${text.slice(0, CAST_LIMITS.voice - 1)}…` : text;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
