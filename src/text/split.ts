/**
 * Splits text into messages of at most `limit` characters, platform-neutral (Discord 2,000,
 * Slack blocks 3,000). Cuts at a paragraph or stanza break when one is near the end of the
 * window, else a line break, a sentence end, a space, and only then mid-word (never inside a
 * surrogate pair). A fenced code block is moved whole to the next message when it fits there;
 * a block longer than a message is cut at a line and its fence closed and reopened, so every
 * message renders. Nothing is lost: joining the pieces gives back the text, apart from the
 * fence lines added around such a cut.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError('splitMessage: limit must be at least 16 characters');
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const { head, tail } = splitOnce(rest, limit);
    out.push(head);
    rest = tail;
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

/** The first message of `text` (at most `limit` characters) and what is left for the next. */
export function splitOnce(text: string, limit: number): { head: string; tail: string } {
  if (text.length <= limit) return { head: text, tail: '' };
  const cut = bestCut(text, limit);
  const fence = openFenceAt(text, cut);
  if (!fence) return { head: text.slice(0, cut), tail: text.slice(cut) };
  // The cut falls inside a code block that closes within the limit: cut after its closing line
  // (cutting inside it and closing the fence would open a new block at its real closing line).
  const end = closedBy(text, fence, limit);
  if (end > 0) return { head: text.slice(0, end), tail: text.slice(end) };
  // The cut falls inside a code block: keep the block whole by cutting just before it...
  if (fence.start > 0 && text.slice(0, fence.start).trim()) return { head: text.slice(0, fence.start), tail: text.slice(fence.start) };
  // ... or, when the block starts the message and is too long, cut at a line inside it and
  // close/reopen the fence.
  const close = /^(`+|~+)/.exec(fence.opener)![1]!;
  const budget = limit - close.length - 1;
  const bodyStart = fence.start + fence.opener.length + 1;
  let at = text.lastIndexOf('\n', budget - 1) + 1;
  if (at <= bodyStart) at = safeCut(text, budget);
  if (at <= bodyStart) return { head: text.slice(0, safeCut(text, limit)), tail: text.slice(safeCut(text, limit)) };
  const head = text.slice(0, at);
  return { head: `${head}${head.endsWith('\n') ? '' : '\n'}${close}`, tail: `${fence.opener}\n${text.slice(at)}` };
}

function bestCut(text: string, limit: number): number {
  const window = text.slice(0, limit);
  const floor = Math.floor(limit * 0.3);
  const para = lastMatchEnd(window, /\n[ \t]*\n\s*/g, floor);
  if (para > 0) return para;
  const line = window.lastIndexOf('\n');
  if (line >= floor) return line + 1;
  const sentence = lastMatchEnd(window, /[.!?…;]["'”’)\]]*\s+|[。！？；][”’」』）]*/g, floor);
  if (sentence > 0) return sentence;
  const space = window.lastIndexOf(' ');
  if (space > 0) return space + 1;
  return safeCut(text, limit);
}

/** End of the last match in `window` that ends at or after `floor`, or -1. */
function lastMatchEnd(window: string, re: RegExp, floor: number): number {
  let end = -1;
  for (const m of window.matchAll(re)) {
    const e = m.index + m[0].length;
    if (e >= floor && e > 0) end = e;
  }
  return end;
}

/** `limit`, moved back one when it would split a surrogate pair. */
function safeCut(text: string, limit: number): number {
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** The code fence still open at `pos` (its opening line and where that line starts), if any. */
export function openFenceAt(text: string, pos: number): { start: number; opener: string } | undefined {
  let open: { start: number; opener: string } | undefined;
  const re = /^ {0,3}(`{3,}|~{3,})(.*)$/gm;
  for (const m of text.slice(0, pos).matchAll(re)) {
    const marker = m[1]!;
    if (!open) open = { start: m.index, opener: m[0].trimStart() };
    else if (marker[0] === open.opener[0] && marker.length >= fenceLength(open.opener) && !m[2]!.trim()) open = undefined;
  }
  return open;
}

/**
 * Where the line that closes the block opened at `fence` ends (after its newline when that
 * fits), if it ends within the first `limit` characters of `text`; else -1. Reads only those.
 */
function closedBy(text: string, fence: { start: number; opener: string }, limit: number): number {
  const re = /^ {0,3}(`{3,}|~{3,})(.*)$/gm;
  const window = text.slice(0, limit);
  re.lastIndex = fence.start + fence.opener.length;
  for (let m = re.exec(window); m; m = re.exec(window)) {
    const lineEnd = m.index + m[0].length;
    const whole = lineEnd === text.length || /[\n\r\u2028\u2029]/.test(text[lineEnd]!);
    if (whole && m[1]![0] === fence.opener[0] && m[1]!.length >= fenceLength(fence.opener) && !m[2]!.trim()) {
      return text[lineEnd] === '\n' && lineEnd < limit ? lineEnd + 1 : lineEnd;
    }
  }
  return -1;
}

function fenceLength(opener: string): number {
  return /^(`+|~+)/.exec(opener)![1]!.length;
}
