import { CAST_LIMITS } from './cast.js';
import type { CastMember } from './state.js';

/**
 * The convention the narrator writes a cast member's words in (prompt.ts asks for it): a line of
 * its own, `Name: "…"` (or `Name: “…”`), where Name is a member of the cast, in any case; a name
 * in bold (`**Name:**`) is taken too. Every other line is narration. Parsing is one pass over
 * each line with indexOf and slices (no regular expression backtracks), and a line longer than
 * MAX_CAST_LINE is narration.
 */
export const MAX_CAST_LINE = 2_000;

export interface CastLine {
  member: CastMember;
  /** The words as written, quotes included. */
  text: string;
}

/** The cast line `line` is (without its line break), or undefined when it is narration. */
export function castLine(line: string, cast: readonly CastMember[]): CastLine | undefined {
  if (cast.length === 0 || line.length > MAX_CAST_LINE) return undefined;
  const colon = line.indexOf(':');
  if (colon < 1 || colon > CAST_LIMITS.name + 8) return undefined;
  const member = memberNamed(cast, line.slice(0, colon));
  if (!member) return undefined;
  const words = stripMarks(line.slice(colon + 1)).trim();
  const open = words[0];
  const close = words[words.length - 1];
  const quoted = words.length >= 2 && ((open === '"' && close === '"') || (open === '“' && close === '”'));
  return quoted ? { member, text: words } : undefined;
}

/**
 * Whether a line still being written could turn out to be a cast line: until its name is
 * complete (a colon, or more characters than a name has) it might; after that only when the name
 * is a member's. Narration that cannot be a cast line streams as it comes.
 */
export function mayBeCastLine(partial: string, cast: readonly CastMember[]): boolean {
  if (cast.length === 0) return false;
  const colon = partial.indexOf(':');
  if (colon < 0) return partial.length <= CAST_LIMITS.name + 8;
  return colon >= 1 && colon <= CAST_LIMITS.name + 8 && !!memberNamed(cast, partial.slice(0, colon));
}

/** The speakers of a text, in the order they first speak (the turn's `speakers`). */
export function speakersOf(text: string, cast: readonly CastMember[]): string[] {
  if (cast.length === 0) return [];
  const speakers: string[] = [];
  for (const line of text.split('\n')) {
    const spoken = castLine(line, cast);
    if (spoken && !speakers.includes(spoken.member.name)) speakers.push(spoken.member.name);
  }
  return speakers;
}

function memberNamed(cast: readonly CastMember[], written: string): CastMember | undefined {
  const name = stripMarks(written).trim().toLowerCase();
  if (!name) return undefined;
  return cast.find((m) => m.name.toLowerCase() === name);
}

/** Markdown bold or italic marks around a name or after its colon ("**Mira:** …"). */
function stripMarks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '*' || text[start] === '_' || text[start] === ' ')) start++;
  while (end > start && (text[end - 1] === '*' || text[end - 1] === '_' || text[end - 1] === ' ')) end--;
  return text.slice(start, end);
}
