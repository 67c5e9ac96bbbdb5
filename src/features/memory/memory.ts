import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { CommandRegistry } from '../../engine/spec.js';

/** `memory show`: the persona, how much is remembered, what each feature keeps, the latest turns. */
export async function* showMemory(session: Session, registry: CommandRegistry): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  const t = session.t;
  const folded = m.summarizedUpTo > m.base ? t('memory.show.folded', { n: m.summarizedUpTo - m.base }) : '';
  const lines = [t('memory.show.persona', { name: m.persona }), t('memory.show.turns', { n: m.count - m.base, folded })];
  lines.push(...registry.describe(m, t));
  lines.push(t('memory.show.summary', { summary: m.summary || t('memory.show.none') }));
  const recent = await session.readTurns(Math.max(m.base, m.count - 6), m.count);
  if (recent.length) {
    lines.push(t('memory.show.latest'));
    for (const turn of recent) lines.push(t('memory.show.turn', { name: turn.role === 'assistant' ? 'Muse' : turn.name, text: clip(turn.text) }));
  }
  yield* session.say(lines.join('\n'));
}

/** `memory clear`: forgets the conversation. */
export async function* clearMemory(session: Session): AsyncGenerator<ReplyPart> {
  await session.clear();
  yield* session.say(session.t('memory.cleared'));
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
