import type { ConversationMeta, Turn } from '../../memory/types.js';
import { UserFacingError, type ReplyFile, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { english, type Translate } from '../../i18n/index.js';
import { castLine } from './cast-lines.js';
import { storedState } from './state.js';

/** `story export`: the story so far as a Markdown file. */
export async function* exportStory(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  if (m.count - m.base === 0) throw UserFacingError.of('bad_input', 'story.export.nothing');
  const turns = await session.readTurns(m.base, m.count);
  const file = storyMarkdown(m, turns, session.t);
  yield { type: 'file', file };
  const n = turns.filter((turn) => turn.role === 'assistant').length;
  yield* session.say(n === 1 ? session.t('story.export.doneOne', { file: file.name }) : session.t('story.export.done', { n, file: file.name }));
}

/**
 * The canon story of a conversation as a Markdown file: title, players, then the beats with
 * what led to each between them (players' actions, a vote's result, a round's actions). Muse's
 * own headings are in the language of `t` (the exporter's); what was written stays as written.
 */
export function storyMarkdown(meta: ConversationMeta, turns: Turn[], t: Translate = english): ReplyFile {
  const story = storedState(meta);
  const title = story?.premise ? firstLine(story.premise) : t('story.export.untitled');
  const fromTurns = turns.filter((t) => t.role === 'user' && t.userId !== 'story').map((t) => t.name);
  const fromRounds = turns.filter((t) => t.kind === 'story.round').flatMap((t) => roundActions(t.text).map((a) => a.name));
  const players = [...new Set([...(story?.players?.map((p) => p.name) ?? []), ...fromTurns, ...fromRounds])];
  const names = players.join(t('story.describe.nameSep')) || t('story.export.noPlayers');
  const lines = [`# ${title}`, '', t('story.export.players', { names }), t('story.export.persona', { persona: meta.persona })];
  if (story?.rating) lines.push(t('story.export.rating', { rating: story.rating }));
  lines.push('');
  let beat = 0;
  for (const turn of turns) {
    if (turn.role === 'user') {
      if (turn.kind === 'story.new') continue;
      if (turn.kind === 'story.vote') lines.push(`> *${firstParagraph(turn.text)}*`, '');
      else if (turn.kind === 'story.round') {
        for (const a of roundActions(turn.text)) lines.push(`> **${a.name}:** ${a.text}`, '>');
        if (lines.at(-1) === '>') lines.pop();
        lines.push('');
      } else lines.push(`> **${turn.name}:** ${turn.text.replace(/\n/g, '\n> ')}`, '');
    } else {
      beat++;
      lines.push(`## ${beat}`, '', whoSaidWhat(turn).trim(), '');
    }
  }
  if (story?.poll?.choices.length) {
    lines.push(t('story.export.openVote'), '', ...story.poll.choices.map((c, k) => `${k + 1}. ${c}`), '');
  }
  return { name: `${slugOf(title)}.md`, mime: 'text/markdown', content: lines.join('\n') };
}

/** Every version of every beat that has more than one, or was undone (story versions). */
export interface VersionedBeat {
  /** Position of the beat in the story when it was written (1 = the opening). */
  beat: number;
  versions: string[];
  canon: number | null;
  action?: string;
}

/** An earlier story of the conversation whose archive was kept. */
export interface EarlierStory {
  premise: string;
  starterName: string;
  beats: Array<{ versions: string[]; canon: number | null; action?: string }>;
}

export function storyVersionsMarkdown(
  meta: ConversationMeta,
  beats: VersionedBeat[],
  earlier: readonly EarlierStory[] = [],
  t: Translate = english,
): ReplyFile {
  const story = storedState(meta);
  const title = story?.premise ? firstLine(story.premise) : t('story.export.untitled');
  const lines = [`# ${t('story.export.everyVersion', { title })}`, ''];
  const section = (b: Omit<VersionedBeat, 'beat'>, heading: (status: string) => string) => {
    const status = b.canon === null ? t('story.export.undone') : t('story.export.canon', { n: b.canon + 1 });
    lines.push(heading(status), '');
    if (b.action) lines.push(`> ${firstParagraph(b.action).replace(/\n/g, '\n> ')}`, '');
    b.versions.forEach((v, k) =>
      lines.push(`### ${b.canon === k ? t('story.export.versionCanon', { n: k + 1 }) : t('story.export.version', { n: k + 1 })}`, '', v.trim(), ''),
    );
  };
  for (const b of beats) section(b, (status) => `## ${t('story.export.beat', { n: b.beat, status })}`);
  for (const e of earlier) {
    lines.push(`# ${t('story.export.earlier', { premise: firstLine(e.premise), name: e.starterName })}`, '');
    e.beats.forEach((b, i) => section(b, (status) => `## ${t('story.export.keptBeat', { n: i + 1, status })}`));
  }
  return { name: `${slugOf(title)}-versions.md`, mime: 'text/markdown', content: lines.join('\n') };
}

/** A beat's text with its speakers' lines marked: `**Mira:** "…"` (the turn's `speakers`). */
function whoSaidWhat(turn: Turn): string {
  const speakers = (turn.speakers ?? []).map((name) => ({ name, addedBy: '' }));
  if (speakers.length === 0) return turn.text;
  return turn.text
    .split('\n')
    .map((line) => {
      const spoken = castLine(line, speakers);
      return spoken ? `**${spoken.member.name}:** ${spoken.text}` : line;
    })
    .join('\n');
}

function roundActions(text: string): Array<{ name: string; text: string }> {
  return firstParagraph(text)
    .split('\n')
    .flatMap((line) => {
      const m = /^- ([^:]+): (.*)$/.exec(line);
      return m ? [{ name: m[1]!, text: m[2]! }] : [];
    });
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]!.trim();
}

function slugOf(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'story'
  );
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
