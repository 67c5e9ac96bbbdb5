import { Marked, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { openFenceAt } from '../../text/split.js';

/** Markdown for a terminal (marked + marked-terminal): bold, headings, lists, code; links as text (URL). */
export function terminalMarkdown(width = 80): (markdown: string) => string {
  const marked = new Marked().use(markedTerminal({ width, reflowText: false, showSectionPrefix: false, tab: 2 })).use({
    renderer: {
      // The URL is always printed, also where the terminal could hide it behind the text.
      link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, token: Tokens.Link): string {
        const text = this.parser.parseInline(token.tokens);
        return text && text !== token.href ? `${text} (${token.href})` : token.href;
      },
    },
  });
  return (markdown) => marked.parse(markdown, { async: false }).replace(/\s+$/, '');
}

/**
 * A streamed reply rendered paragraph by paragraph: each paragraph is drawn once it is complete
 * (a blank line after it, outside a code block), so the reply still appears as it is written.
 */
export class StreamedMarkdown {
  private pending = '';
  private drawn = false;

  constructor(private readonly render: (markdown: string) => string) {}

  /** Takes the next text; returns what is now ready to print. */
  push(text: string): string {
    this.pending += text;
    let cut = -1;
    for (const m of this.pending.matchAll(/\n[ \t]*\n/g)) {
      const end = m.index + m[0].length;
      if (!openFenceAt(this.pending, end) && this.pending.slice(0, end).trim()) cut = end;
    }
    if (cut < 0) return '';
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.draw(ready);
  }

  /** The rest, at the end of the reply (without a final line break). */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.draw(rest);
  }

  private draw(markdown: string): string {
    if (!markdown.trim()) return '';
    const out = (this.drawn ? '\n\n' : '') + this.render(markdown);
    this.drawn = true;
    return out;
  }
}
