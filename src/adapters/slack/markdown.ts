/**
 * Model text as Slack's `markdown_text` (chat.startStream, appendStream, stopStream): Markdown as
 * written, with `&`, `<` and `>` escaped so nothing the model writes becomes `<!here>` or `<@U…>`.
 * The one place streamed text is formatted; a richer conversion replaces this function.
 */
export function toMarkdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
