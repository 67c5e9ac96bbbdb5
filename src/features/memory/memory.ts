import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { CommandRegistry } from '../../engine/spec.js';

/** `memory show`: the persona, how much is remembered, what each feature keeps, the latest turns. */
export async function* showMemory(session: Session, registry: CommandRegistry): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  const turns = m.count - m.base;
  const lines = [
    `Persona: ${m.persona}`,
    `Turns remembered: ${turns}${m.summarizedUpTo > m.base ? ` (${m.summarizedUpTo - m.base} of them folded into the summary)` : ''}`,
  ];
  lines.push(...registry.describe(m, session.t));
  lines.push(`Summary: ${m.summary || '(none yet)'}`);
  const recent = await session.readTurns(Math.max(m.base, m.count - 6), m.count);
  if (recent.length) {
    lines.push('Latest turns:');
    for (const t of recent) lines.push(`- ${t.role === 'assistant' ? 'Muse' : t.name}: ${clip(t.text)}`);
  }
  yield* session.say(lines.join('\n'));
}

/** `memory clear`: forgets the conversation. */
export async function* clearMemory(session: Session): AsyncGenerator<ReplyPart> {
  await session.clear();
  yield* session.say('Muse has forgotten this conversation.');
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
