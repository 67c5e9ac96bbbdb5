/**
 * Slack text escaping. Slack reads `<...>` as control sequences (`<!channel>`, `<!here>`,
 * `<!everyone>`, `<@U123>`, `<!subteam^S1>`, links), so model output is escaped per Slack's
 * rules (&, <, > only) and every one of them is shown as plain text, never as a ping.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Turns a Slack message into plain text for the model: `<@U1>` becomes `@name`, `<#C1|general>`
 * `#general`, `<!here>` `@here`, links their label and URL; entities are decoded last.
 */
export function slackToPlain(text: string, nameOf: (userId: string) => string | undefined = () => undefined): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return `@${label ?? nameOf(id) ?? id}`;
    }
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? '@group';
    if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Removes mentions of the bot (`<@UBOT>` or `<@UBOT|muse>`) and tidies the spaces left behind. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text
    .replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

export function mentions(text: string, botUserId: string | undefined): boolean {
  return !!botUserId && new RegExp(`<@${botUserId}(\\|[^>]*)?>`).test(text);
}
