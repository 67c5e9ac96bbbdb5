/**
 * The poem in a model's reply: code fences, surrounding quotes, a "Here is a haiku:" preamble
 * and commentary after the poem (when set apart by a blank line or a rule) are removed. Line
 * breaks and stanza breaks are kept; trailing spaces go and runs of blank lines become one.
 */
const PREAMBLE = /^(?:(?:sure|certainly|of course|okay|ok|absolutely)\b[^\n]*|here(?:'s| is| are)\b[^\n]*|(?:好的|当然|以下是|这是)[^\n]*)[:：!！.。]?\s*$/i;
const COMMENTARY =
  /^(?:this (?:poem|haiku|tanka|limerick|sonnet|verse)|the (?:poem|haiku|tanka|limerick|sonnet)\b|i hope|let me know|note:|notes:|explanation|syllable count|\(|\*\(|这首|注[:：]|说明[:：]|赏析)/i;

export function cleanPoem(reply: string): string {
  let text = trimLineEnds(reply.replace(/\r\n?/g, '\n')).trim();
  const fenced = /(?:^|\n)```[^\n]*\n([\s\S]*?)\n```/.exec(text);
  if (fenced) text = fenced[1]!.trim();
  let blocks = text.split(/\n\s*\n/);
  // A preamble: a first block of one line that introduces the poem.
  if (blocks.length > 1 && !blocks[0]!.includes('\n') && (PREAMBLE.test(blocks[0]!) || /[:：]$/.test(blocks[0]!))) blocks = blocks.slice(1);
  else if (blocks.length >= 1) {
    const [first, ...rest] = blocks[0]!.split('\n');
    if (rest.length > 0 && PREAMBLE.test(first!) && /[:：]$/.test(first!)) blocks[0] = rest.join('\n');
  }
  // Commentary: everything from a horizontal rule, or from a trailing block that talks about the poem.
  const rule = blocks.findIndex((b, i) => i > 0 && /^(?:-{3,}|\*{3,}|_{3,})$/.test(b.trim()));
  if (rule > 0) blocks = blocks.slice(0, rule);
  while (blocks.length > 1 && COMMENTARY.test(blocks.at(-1)!.trim())) blocks.pop();
  text = blocks.join('\n\n').trim();
  return unquote(text);
}

/**
 * The text without spaces and tabs at the end of its lines, by a loop: /[ \t]+$/gm retries at
 * every space of a run that does not end its line, which is quadratic in the run.
 */
function trimLineEnds(text: string): string {
  return text.replace(/[^\n\u2028\u2029]+/g, (line) => {
    let end = line.length;
    while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
    return line.slice(0, end);
  });
}

/** Quotes around the whole poem (not quotes that open its first line and close another's). */
function unquote(text: string): string {
  const pairs: Array<[string, string]> = [
    ['"', '"'],
    ['“', '”'],
    ["'", "'"],
    ['「', '」'],
    ['『', '』'],
  ];
  for (const [open, close] of pairs) {
    if (text.length > 2 && text.startsWith(open) && text.endsWith(close)) {
      const inner = text.slice(open.length, -close.length);
      if (!inner.includes(open) && !inner.includes(close)) return inner.trim();
    }
  }
  return text;
}
