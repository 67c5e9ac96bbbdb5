/**
 * Splits text into messages of at most `limit` characters, preferring paragraph and stanza
 * breaks (blank lines), then line breaks, then sentence ends, then spaces; a hard cut only for a
 * single run of text longer than the limit. Nothing is lost: only the whitespace at each cut is
 * dropped. A cut inside a ``` code block closes the block and reopens it in the next message.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 20) throw new RangeError('splitMessage: limit must be at least 20');
  const out: string[] = [];
  let rest = text.replace(/^\s+|\s+$/g, '');
  let reopen = false;
  while (rest.length > 0) {
    const budget = limit - (reopen ? 4 : 0);
    if (rest.length <= budget) {
      out.push((reopen ? '```\n' : '') + rest);
      break;
    }
    // Leave room to close a code block opened in this chunk.
    let cut = findCut(rest, budget - 4);
    let chunk = rest.slice(0, cut).replace(/\s+$/, '');
    const open = ((reopen ? '```\n' : '') + chunk).split('```').length % 2 === 0;
    if (!open && chunk.length + 4 <= budget) {
      // Plenty of room: try again with the whole budget.
      cut = findCut(rest, budget);
      chunk = rest.slice(0, cut).replace(/\s+$/, '');
    }
    const stillOpen: boolean = ((reopen ? '```\n' : '') + chunk).split('```').length % 2 === 0;
    out.push((reopen ? '```\n' : '') + chunk + (stillOpen ? '\n```' : ''));
    reopen = stillOpen;
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  return out;
}

function findCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const floor = Math.floor(max * 0.3);
  for (const pattern of [/\n\s*\n/g, /\n/g, /[.!?。！？…]["'”’)]?\s/g, /\s/g]) {
    let best = -1;
    for (const m of window.matchAll(pattern)) {
      const end = m.index! + (pattern.source.startsWith('\\n') || pattern.source === '\\s' ? 0 : m[0].length);
      if (end > 0 && end <= max) best = end;
    }
    if (best >= floor) return best;
  }
  // One long run: cut at the limit, never inside a surrogate pair.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
