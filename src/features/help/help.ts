import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { callables, usage, valueForm, type CommandRegistry, type ResolvedCommand } from '../../engine/spec.js';

/** `help`: every command of the registry with its usage, in registry order. */
export async function* showHelp(session: Session, registry: CommandRegistry): AsyncGenerator<ReplyPart> {
  const zh = session.locale === 'zh-CN';
  const lines = [session.t('help.intro')];
  for (const command of registry.commands) {
    for (const call of callables(command)) {
      // The commands' own zh-CN descriptions (as Discord shows them) serve /help in Chinese.
      const description = zh ? (call.sub ? call.sub.zh?.description : command.zh?.description) : undefined;
      lines.push(`${usage(call)}: ${description ?? call.sub?.description ?? command.description}${forms(call)}`);
    }
  }
  lines.push(session.t('help.outro'));
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
