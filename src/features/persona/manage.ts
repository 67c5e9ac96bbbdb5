import { basename } from 'node:path';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';

/**
 * `persona list`: the built-in personas, the ones imported here (this server, workspace or DM
 * user; the one in use marked), and the built-in files that could not be loaded.
 */
export async function* listPersonas(session: Session): AsyncGenerator<ReplyPart> {
  const { persona: current, personaTenant } = session.meta;
  const { builtIn, imported } = await session.personas.list(session.tenant);
  const { t } = session;
  const line = (p: { name: string; mode: string; description: string }, inUse: boolean) =>
    t('persona.list.line', { mark: inUse ? '▸' : '•', name: p.name, mode: p.mode, description: p.description });
  const lines = builtIn.map((p) => line(p, !personaTenant && p.name === current));
  if (imported.length) {
    lines.push(t('persona.list.imported', { n: imported.length, limit: session.personas.imported.limit }));
    lines.push(...imported.map((p) => line(p, personaTenant === session.tenant && p.name === current)));
  }
  // The file's name and the field, never its path or a parser's text (those are in the log).
  for (const e of session.personas.builtIns.loadErrors()) lines.push(t('persona.list.loadError', { file: basename(e.file), message: e.message }));
  yield* session.say(`${t('persona.list.head')}\n${lines.join('\n')}`);
}

/** `persona use`: this conversation's persona from now on, and its greeting. */
export async function* usePersona(session: Session, name: string): AsyncGenerator<ReplyPart> {
  const p = await session.requirePersona(name);
  await session.commitMeta(session.withPersona(session.meta, p));
  yield* session.say(session.t('persona.use', { name: p.name, greeting: p.greeting }));
}

/**
 * `persona remove`: deletes one of this tenant's imported personas (never a built-in one). This
 * conversation goes back to the default persona at once if it used it; the tenant's other
 * conversations do on their next message, with a notice.
 */
export async function* removePersona(session: Session, name: string): AsyncGenerator<ReplyPart> {
  const wanted = name.trim().toLowerCase();
  const fallback = session.defaultPersona();
  if (!(await session.personas.imported.remove(session.tenant, wanted))) {
    if (session.personas.builtIns.get(wanted)) {
      throw UserFacingError.of('bad_input', 'persona.remove.builtIn', { name: wanted });
    }
    await session.requirePersona(wanted); // says which personas there are
    throw UserFacingError.of('bad_input', 'persona.remove.notImported', { name: wanted });
  }
  if (session.meta.personaTenant === session.tenant && session.meta.persona === wanted) {
    await session.commitMeta(session.withPersona(session.meta, fallback));
  }
  yield* session.say(session.t('persona.remove.done', { name: wanted, fallback: fallback.name }));
}
