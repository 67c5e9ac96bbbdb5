/**
 * GFM tables in Markdown text, platform-neutral: where they are (outside code fences), their
 * cells, and a monospace rendering for surfaces that cannot draw a table.
 */

export type Align = 'left' | 'center' | 'right' | undefined;

export interface MarkdownTable {
  /** Offset of the header row's first character. */
  start: number;
  /** Offset just after the last row (after its line break, when there is one). */
  end: number;
  header: string[];
  align: Align[];
  /** Body rows, each with as many cells as the header. */
  rows: string[][];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DELIMITER_CELL = /^:?-+:?$/;

/** The GFM tables in `text`, in order (a header row, a delimiter row, then rows with a `|`). */
export function findTables(text: string): MarkdownTable[] {
  const lines: Array<{ start: number; end: number; text: string }> = [];
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    lines.push({ start: at, end, text: text.slice(at, nl < 0 ? text.length : nl).replace(/\r$/, '') });
    at = end;
  }
  const tables: MarkdownTable[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.text;
    const marker = FENCE.exec(line)?.[1];
    if (marker) {
      if (!fence) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && !line.trim().slice(marker.length).trim()) fence = undefined;
      continue;
    }
    if (fence || !line.includes('|') || i + 1 >= lines.length) continue;
    const header = cellsOf(line);
    const delimiter = cellsOf(lines[i + 1]!.text);
    if (header.length === 0 || delimiter.length !== header.length || !delimiter.every((c) => DELIMITER_CELL.test(c))) continue;
    const rows: string[][] = [];
    let last = i + 1;
    while (last + 1 < lines.length && lines[last + 1]!.text.includes('|') && lines[last + 1]!.text.trim()) {
      const cells = cellsOf(lines[++last]!.text);
      rows.push(header.map((_, n) => cells[n] ?? ''));
    }
    const align = delimiter.map((c): Align =>
      c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : undefined,
    );
    tables.push({ start: lines[i]!.start, end: lines[last]!.end, header, align, rows });
    i = last;
  }
  return tables;
}

/** A row's cells: outer pipes dropped, split at unescaped pipes, trimmed. */
function cellsOf(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  if (!row.trim()) return [];
  return row.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** A cell's text without inline Markdown: emphasis and code marks dropped, links as text (URL). */
export function plainCell(cell: string): string {
  return cell
    .replace(/!?\[([^\]\n]*)\]\(([^)\s]*)[^)]*\)/g, (_m, label: string, url: string) => (label && label !== url ? `${label} (${url})` : url))
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?![\w*])/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1');
}

/** The table as aligned monospace lines (for a code block where no table can be drawn). */
export function tableAsText(table: MarkdownTable): string {
  const all = [table.header, ...table.rows].map((row) => row.map(plainCell));
  const widths = table.header.map((_, n) => Math.max(...all.map((row) => [...(row[n] ?? '')].length)));
  const pad = (cell: string, n: number) => {
    const room = widths[n]! - [...cell].length;
    if (table.align[n] === 'right') return ' '.repeat(room) + cell;
    if (table.align[n] === 'center') return ' '.repeat(Math.floor(room / 2)) + cell + ' '.repeat(Math.ceil(room / 2));
    return cell + ' '.repeat(room);
  };
  const line = (row: string[]) => row.map(pad).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(all[0]!), rule, ...all.slice(1).map(line)].join('\n');
}
