import { basename } from 'node:path';
import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';

/** `persona list`: every persona (the one in use marked), and the files that could not be loaded. */
export async function* listPersonas(session: Session): AsyncGenerator<ReplyPart> {
  const current = session.meta.persona;
  const lines = session.personas.list().map((p) => `${p.name === current ? '▸' : '•'} ${p.name} (${p.mode}): ${p.description}`);
  // The file's name and the field, never its path or a parser's text (those are in the log).
  for (const e of session.personas.loadErrors()) lines.push(`✗ ${basename(e.file)} could not be loaded: ${e.message}`);
  yield* session.say(`Personas (▸ is in use here):\n${lines.join('\n')}`);
}

/** `persona show`: a persona's settings and prompt. */
export async function* showPersona(session: Session, name: string): AsyncGenerator<ReplyPart> {
  const p = session.requirePersona(name);
  const head = `${p.name} (${p.mode}): ${p.description}\ntemperature ${p.temperature}, up to ${p.maxOutputTokens} tokens a reply, from ${basename(p.file)}\nGreeting: ${p.greeting}`;
  yield* session.say(`${head}\n\nPrompt:\n${p.prompt}`);
}

/** `persona use`: this conversation's persona from now on, and its greeting. */
export async function* usePersona(session: Session, name: string): AsyncGenerator<ReplyPart> {
  const p = session.requirePersona(name);
  await session.commitMeta({ ...session.meta, persona: p.name });
  yield* session.say(`Muse is now the ${p.name} here. ${p.greeting}`);
}
