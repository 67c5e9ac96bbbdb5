import type { ReplyPart } from '../../engine/parts.js';
import { castLine, mayBeCastLine } from './cast-lines.js';
import type { CastMember } from './state.js';

/**
 * The narrator's reply with its cast lines as 'cast' parts, in order among the narration. Text
 * streams line by line until the first cast line; from there the beat is held until the reply is
 * complete (saved), then the rest goes out in order: narration as text, each cast line as a
 * 'cast' part. A line that cannot be a cast line streams as it comes. An error ends it at once
 * (nothing of the beat was saved, so what was held is dropped).
 */
export async function* withCastLines(parts: AsyncIterable<ReplyPart>, cast: readonly CastMember[]): AsyncGenerator<ReplyPart> {
  if (cast.length === 0) {
    yield* parts;
    return;
  }
  let line = '';
  /** The open line is narration already streaming. */
  let streaming = false;
  const heldBack: ReplyPart[] = [];
  const lineParts = (whole: string, end: string): ReplyPart[] => {
    const spoken = castLine(whole, cast);
    if (!spoken) return [{ type: 'text', text: whole + end }];
    return [{ type: 'cast', name: spoken.member.name, text: spoken.text, ...(spoken.member.avatarUrl ? { avatarUrl: spoken.member.avatarUrl } : {}) }];
  };
  for await (const part of parts) {
    if (part.type !== 'text') {
      if (part.type === 'done' || part.type === 'error') {
        if (part.type === 'error') {
          yield part;
          return;
        }
        if (line) heldBack.push(...(streaming ? [{ type: 'text' as const, text: line }] : lineParts(line, '')));
        yield* heldBack;
        yield part;
        return;
      }
      yield part;
      continue;
    }
    let text = part.text;
    while (text) {
      const nl = text.indexOf('\n');
      const piece = nl < 0 ? text : text.slice(0, nl);
      text = nl < 0 ? '' : text.slice(nl + 1);
      if (streaming) {
        // Narration whose line is already out: the rest of the line follows.
        const out: ReplyPart = { type: 'text', text: piece + (nl < 0 ? '' : '\n') };
        if (heldBack.length) heldBack.push(out);
        else yield out;
        if (nl >= 0) streaming = false;
        continue;
      }
      line += piece;
      if (nl >= 0) {
        const done = lineParts(line, '\n');
        line = '';
        if (heldBack.length || done[0]!.type === 'cast') heldBack.push(...done);
        else yield* done;
      } else if (!heldBack.length && !mayBeCastLine(line, cast)) {
        // Before the scene, narration that cannot be a cast line streams at once.
        streaming = true;
        yield { type: 'text', text: line };
        line = '';
      }
    }
  }
  // A stream that ended without its end part: what was held goes out as it is.
  if (line) heldBack.push(...lineParts(line, ''));
  yield* heldBack;
}
