import type { CommandSpec } from '../src/engine/spec.js';

const memory: CommandSpec = {
  name: 'memory',
  description: 'Show or clear what Muse remembers here',
  zh: { name: '记忆', description: '查看或清除本对话的记忆' },
  subcommands: [
    {
      name: 'show',
      description: 'Show what Muse remembers of this conversation',
      zh: { name: '查看', description: '查看记忆' },
      options: [],
      async *run({ session }) {
        const m = session.meta;
        const turns = m.count - m.base;
        const lines = [`Persona: ${m.persona}`, `Turns remembered: ${turns}${m.summarizedUpTo > m.base ? ` (${m.summarizedUpTo - m.base} of them folded into the summary)` : ''}`];
        const story = m.settings.story as { premise?: string } | undefined;
        const tutor = m.settings.tutor as { subject?: string; level?: string } | undefined;
        if (story?.premise) lines.push(`Story: ${story.premise}`);
        if (tutor?.subject) lines.push(`Tutoring: ${tutor.subject}${tutor.level ? ` (${tutor.level})` : ''}`);
        lines.push(`Summary: ${m.summary || '(none yet)'}`);
        const recent = await session.readTurns(Math.max(m.base, m.count - 6), m.count);
        if (recent.length) {
          lines.push('Latest turns:');
          for (const t of recent) lines.push(`- ${t.role === 'assistant' ? 'Muse' : t.name}: ${clip(t.text)}`);
        }
        yield* session.say(lines.join('\n'));
      },
    },
    {
      name: 'clear',
      description: 'Forget this conversation (turns, summary, persona)',
      zh: { name: '清除', description: '忘记本对话' },
      managerOnly: true,
      options: [],
      async *run({ session }) {
        await session.clear();
        yield* session.say('Muse has forgotten this conversation.');
      },
    },
  ],
};

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

export default memory;
