/**
 * The lines that count in a poem: blank lines between stanzas and separator lines (---, * * *)
 * are ignored, and a first line is dropped as a title only when it is clearly marked as one
 * (`**Title**`, `__Title__`, `# Title`, `《标题》`) and more lines follow.
 */
export function poemLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/\\$/, '').trim())
    .filter((l) => l !== '' && /[\p{L}\p{N}]/u.test(l));
  if (lines.length > 1 && isTitle(lines[0]!, lines[1]!)) lines.shift();
  return lines;
}

function isTitle(first: string, second: string): boolean {
  if (/^#{1,6}\s+\S/.test(first)) return true;
  if (/^《[^》]+》$/.test(first)) return true;
  const bold = /^(\*\*|__)[^*_].*\1$/;
  return bold.test(first) && !bold.test(second);
}

/** A line without Markdown emphasis markers around it (`*An old pond*`). */
export function plainLine(line: string): string {
  return line.replace(/^[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}$/g, '').trim();
}
