/**
 * Every conversion of the model's Markdown for Slack, in one place:
 * - `toMarkdownBlocks`: standard Markdown in `markdown` blocks, tables as `table` blocks (the
 *   markdown block draws none), split into messages (never inside a code fence or a link);
 * - `toMrkdwn`: Slack's own mrkdwn, where only that is accepted (the notification `text`
 *   fallback, ephemeral messages, response_url); tables as code blocks;
 * - `toMarkdownText`: escaped Markdown for streams (`markdown_text`).
 * In every form the model's `&`, `<` and `>` are escaped, so nothing it writes can become a
 * control sequence: `<!channel>`, `<!here>`, `<@U…>`, `<!subteam^…>` stay text and ping no one.
 */
import slackify from 'slackify-markdown';
import type { KnownBlock } from './client.js';
import { openFenceAt, splitOnce } from '../../text/split.js';
import { findTables, plainCell, tableAsText, type MarkdownTable } from '../../text/tables.js';

/** Slack's limit for the text of all markdown blocks of one message, together. */
export const MARKDOWN_LIMIT = 12_000;
/** Slack's limits for a table block. */
const TABLE_ROWS = 100;
const TABLE_COLUMNS = 20;

/** A `>` that starts a line (after up to 3 spaces or other `>`s) is a quote marker, not text. */
const QUOTE_MARKERS = /^((?: {0,3}>)+)/gm;

/**
 * Slack's three escapes on the model's text: `&` `&amp;`, `<` `&lt;`, `>` `&gt;`, except the
 * quote markers at the start of a line (a `>` alone can never form a control sequence, which
 * starts with `<`). Character by character, so a stream's deltas can be escaped one by one (a
 * delta that starts mid-line with `>` leaves that `>` as is: shown as typed, never a ping).
 */
export function escapeModelText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .split(QUOTE_MARKERS)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/>/g, '&gt;')))
    .join('');
}

/** Markdown for a stream's `markdown_text`: the model's text, escaped. */
export function toMarkdownText(text: string): string {
  return escapeModelText(text);
}

// Stand-ins for the model's own `&`, `<`, `>` while slackify-markdown converts: it decodes
// entities it reads and passes `<!…>` and `<@…>` through, so they must not be seen as such.
const AMP = '\uE000';
const LT = '\uE001';
const GT = '\uE002';
const RESTORE: Array<[RegExp, string]> = [
  [/\uE000|%EE%80%80/g, '&amp;'],
  [/\uE001|%EE%80%81/g, '&lt;'],
  [/\uE002|%EE%80%82/g, '&gt;'],
];

/** Slack mrkdwn from the model's Markdown (slackify-markdown), with tables as code blocks. */
export function toMrkdwn(text: string): string {
  const withTables = replaceTables(text, (t) => '```\n' + tableAsText(t) + '\n```\n');
  const shielded = withTables
    .replace(/<((?:https?|mailto):[^\s<>|]+)>/g, '$1') // autolinks: the bare URL links the same
    .replace(/&/g, AMP)
    .replace(/</g, LT)
    .split(QUOTE_MARKERS)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/>/g, GT)))
    .join('');
  // (remark separates some adjacent blocks with an empty HTML comment, which Slack would show.)
  let out = slackify(shielded)
    .replace(/\n*<!---->\n*/g, '\n\n')
    .trimEnd();
  for (const [re, entity] of RESTORE) out = out.replace(re, entity);
  return out;
}

/** One Slack message of a reply: the Markdown it shows and its blocks. */
export interface MarkdownMessage {
  /** The model's Markdown this message shows (for its mrkdwn `text` fallback). */
  source: string;
  blocks: KnownBlock[];
}

/**
 * The reply as messages of markdown blocks and table blocks: at most `limit` characters of the
 * text as read each (the reading limit; Slack's escapes are not read) and at most MARKDOWN_LIMIT
 * escaped characters (Slack's limit). A table ends its message (Slack allows one a message), so
 * text after it starts the next one; a table too big for a table block is a code block instead.
 */
export function toMarkdownMessages(text: string, limit = MARKDOWN_LIMIT): MarkdownMessage[] {
  const reading = Math.max(16, limit);
  const out: MarkdownMessage[] = [];
  let current: MarkdownMessage = { source: '', blocks: [] };
  let read = 0;
  let sent = 0;
  const close = () => {
    if (current.blocks.length) out.push(current);
    else if (out.length) out.at(-1)!.source += current.source;
    current = { source: '', blocks: [] };
    read = 0;
    sent = 0;
  };
  const addMarkdown = (markdown: string) => {
    for (const part of splitEscaped(markdown, reading)) {
      const shown = escapeModelText(part);
      if (shown.trim() && (read + part.length > reading || sent + shown.length > MARKDOWN_LIMIT)) close();
      current.source += part;
      if (!shown.trim()) continue;
      current.blocks.push({ type: 'markdown', text: shown });
      read += part.length;
      sent += shown.length;
    }
  };
  let at = 0;
  for (const table of findTables(text)) {
    addMarkdown(text.slice(at, table.start));
    if (fitsTableBlock(table)) {
      current.source += text.slice(table.start, table.end);
      current.blocks.push(tableBlock(table));
      close();
    } else addMarkdown('```\n' + tableAsText(table) + '\n```\n');
    // The blank lines after a table only separate it from the text that follows.
    const blank = /^(?:[ \t]*\n)*/.exec(text.slice(table.end))![0];
    current.source += blank;
    at = table.end + blank.length;
  }
  addMarkdown(text.slice(at));
  close();
  return out;
}

/** The blocks of each message of the reply (see toMarkdownMessages). */
export function toMarkdownBlocks(text: string, limit = MARKDOWN_LIMIT): KnownBlock[][] {
  return toMarkdownMessages(text, limit).map((m) => m.blocks);
}

/** Each message of the reply with its mrkdwn fallback text. */
export function toSlackMessages(text: string, limit = MARKDOWN_LIMIT): Array<{ text: string; blocks: KnownBlock[] }> {
  return toMarkdownMessages(text, limit).map((m) => ({ text: toMrkdwn(m.source) || ' ', blocks: m.blocks }));
}

function fitsTableBlock(table: MarkdownTable): boolean {
  return table.rows.length + 1 <= TABLE_ROWS && table.header.length <= TABLE_COLUMNS;
}

function tableBlock(table: MarkdownTable): KnownBlock {
  const cell = (text: string) => ({ type: 'raw_text' as const, text: escapeModelText(plainCell(text)) || ' ' });
  const settings = table.align.map((a) => ({ align: a ?? 'left' }));
  return {
    type: 'table',
    rows: [table.header, ...table.rows].map((row) => row.map(cell)),
    ...(table.align.some((a) => a && a !== 'left') ? { column_settings: settings } : {}),
  };
}

function replaceTables(text: string, draw: (table: MarkdownTable) => string): string {
  let out = '';
  let at = 0;
  for (const table of findTables(text)) {
    out += text.slice(at, table.start) + draw(table);
    at = table.end;
  }
  return out + text.slice(at);
}

/**
 * Pieces of `text` of at most `limit` characters as read and at most MARKDOWN_LIMIT escaped, cut
 * as splitMarkdown cuts.
 */
function splitEscaped(text: string, limit: number): string[] {
  const out: string[] = [];
  const first = Math.min(limit, MARKDOWN_LIMIT);
  let size = first;
  for (let rest = text; rest.length > 0;) {
    const { head, tail } = cutMarkdown(rest, size);
    const grown = escapeModelText(head).length;
    if (grown > MARKDOWN_LIMIT && size > 16) {
      size = Math.max(16, Math.floor((size * MARKDOWN_LIMIT) / grown) - 1);
      continue;
    }
    out.push(head);
    rest = tail;
    size = first;
  }
  return out;
}

/** Messages of at most `limit` characters, never cut inside a code fence or a link. */
export function splitMarkdown(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { head, tail } = cutMarkdown(rest, limit);
    out.push(head);
    rest = tail;
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

const LINK = /!?\[[^[\]\n]*\]\([^()\n]*\)/g;

/** splitOnce (paragraphs first; fences kept whole or closed and reopened), moved before a link it would cut. */
function cutMarkdown(text: string, limit: number): { head: string; tail: string } {
  const cut = splitOnce(text, limit);
  if (!cut.tail || !text.startsWith(cut.head)) return cut;
  const at = cut.head.length;
  for (const m of text.matchAll(LINK)) {
    if (m.index >= at) break;
    if (m.index + m[0].length > at && m.index > 0 && text.slice(0, m.index).trim() && !openFenceAt(text, m.index)) {
      return { head: text.slice(0, m.index), tail: text.slice(m.index) };
    }
  }
  return cut;
}
