import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { callables, usage, valueForm, type CommandRegistry, type ResolvedCommand } from '../../engine/spec.js';

/** `help`: every command of the registry with its usage, in registry order. */
export async function* showHelp(session: Session, registry: CommandRegistry): AsyncGenerator<ReplyPart> {
  const lines = ['Muse tells stories with the whole channel, writes poems and tutors. Commands:'];
  for (const command of registry.commands) {
    for (const call of callables(command)) lines.push(`${usage(call)}: ${call.sub?.description ?? command.description}${forms(call)}`);
  }
  lines.push('Options are written name:value (e.g. /poem autumn leaves form:haiku); anything else you write is a turn for the current persona.');
  yield* session.say(lines.join('\n'));
}

/** How the typed options are written, e.g. " (vote: 0–600)", " (always: on/off)". */
function forms(call: ResolvedCommand): string {
  const typed = call.options.flatMap((o) => {
    const form = valueForm(o);
    return form ? [`${o.name}: ${form}`] : [];
  });
  return typed.length ? ` (${typed.join(', ')})` : '';
}
