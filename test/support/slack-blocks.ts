/**
 * What the fake Slack checks in a message's blocks, as Slack does: at most 50 blocks; section
 * text at most 3,000 characters; `markdown` blocks `{ type, text }` with at most 12,000
 * characters across all of a message's markdown blocks; `table` blocks with 1–100 rows of 1–20
 * cells (`raw_text` with text, or `rich_text`), one table a message; `actions` with 1–25
 * elements; `context_actions` with 1–5 `feedback_buttons` or `icon_button` elements (a feedback
 * button: plain_text text and a value). And what would ping someone: control sequences (`<!…>`, `<@…>`) in any text Slack
 * reads as mrkdwn or Markdown.
 */

type Block = Record<string, unknown>;

const KNOWN = new Set(['section', 'actions', 'context_actions', 'markdown', 'table', 'context', 'divider', 'header', 'rich_text']);

/** Slack's error code for these blocks, or undefined when Slack would take them. */
export function blocksError(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  let markdown = 0;
  let tables = 0;
  for (const block of blocks as Block[]) {
    if (typeof block !== 'object' || block === null || !KNOWN.has(String(block.type))) return 'invalid_blocks';
    switch (block.type) {
      case 'section': {
        const text = (block.text as { text?: unknown } | undefined)?.text;
        if (typeof text !== 'string' || text.length === 0 || text.length > 3000) return 'invalid_blocks';
        break;
      }
      case 'markdown':
        if (typeof block.text !== 'string' || block.text.length === 0 || Object.keys(block).some((k) => !['type', 'text', 'block_id'].includes(k)))
          return 'invalid_blocks';
        markdown += block.text.length;
        break;
      case 'table':
        if (++tables > 1 || !tableOk(block)) return 'invalid_blocks';
        break;
      case 'actions': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) return 'invalid_blocks';
        break;
      }
      case 'context_actions':
        if (!contextActionsOk(block)) return 'invalid_blocks';
        break;
    }
  }
  return markdown > 12_000 ? 'msg_blocks_too_long' : undefined;
}

function contextActionsOk(block: Block): boolean {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > 5) return false;
  const button = (b: unknown) => {
    const { text, value } = (b ?? {}) as Block;
    const t = (text ?? {}) as Block;
    return t.type === 'plain_text' && typeof t.text === 'string' && t.text.length > 0 && typeof value === 'string' && value.length > 0;
  };
  return (elements as Array<Block | null>).every((e) =>
    e?.type === 'feedback_buttons' ? typeof e.action_id === 'string' && button(e.positive_button) && button(e.negative_button) : e?.type === 'icon_button',
  );
}

function tableOk(block: Block): boolean {
  const rows = block.rows;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 100) return false;
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row) || row.length === 0 || row.length > 20) return false;
    for (const cell of row as Block[]) {
      if (cell?.type === 'raw_text' && typeof cell.text === 'string' && cell.text.length > 0) continue;
      if (cell?.type === 'rich_text' && Array.isArray(cell.elements)) continue;
      return false;
    }
  }
  const settings = block.column_settings;
  if (settings === undefined) return true;
  return (
    Array.isArray(settings) &&
    settings.length <= 20 &&
    settings.every((s: Block | null) => s === null || s.align === undefined || (typeof s.align === 'string' && ['left', 'center', 'right'].includes(s.align)))
  );
}

/** The control sequences that would notify people: `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^…>`, `<@U…>`. */
export function mentionsIn(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') out.push(...(v.match(/<[!@][^<>]*>/g) ?? []));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}
