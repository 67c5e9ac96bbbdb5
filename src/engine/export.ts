import type { ConversationMeta, Turn } from '../memory/types.js';
import type { ReplyFile } from './parts.js';
import type { StorySettings } from './prompt.js';

/** The story of a conversation as a Markdown file: title, players, beats. */
export function storyMarkdown(meta: ConversationMeta, turns: Turn[]): ReplyFile {
  const story = meta.settings.story as StorySettings | undefined;
  const title = story?.premise ? firstLine(story.premise) : 'A Muse story';
  const players = [...new Set(turns.filter((t) => t.role === 'user').map((t) => t.name))];
  const lines = [`# ${title}`, '', `Players: ${players.join(', ') || 'none'}`, `Narrator persona: ${meta.persona}`, ''];
  let beat = 0;
  for (const turn of turns) {
    if (turn.role === 'user') {
      if (turn.kind === 'story.new') continue;
      lines.push(`> **${turn.name}:** ${turn.text.replace(/\n/g, '\n> ')}`, '');
    } else {
      beat++;
      lines.push(`## ${beat}`, '', turn.text.trim(), '');
    }
  }
  const slug = title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'story';
  return { name: `${slug}.md`, mime: 'text/markdown', content: lines.join('\n') };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
