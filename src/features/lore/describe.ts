import type { LoreEntry, LoreWhy } from './types.js';

/** "Ember (also: the red dragon) [always on]: A red dragon who guards the pass." */
export function describeEntry(entry: LoreEntry, maxText = 300): string {
  const aliases = entry.aliases.length ? ` (also: ${entry.aliases.join(', ')})` : '';
  const always = entry.always ? ' [always on]' : '';
  const text = entry.text.replace(/\s+/g, ' ');
  return `${entry.key}${aliases}${always}: ${text.length > maxText ? `${text.slice(0, maxText - 1)}…` : text}`;
}

/** The answer to `lore why`. */
export function describeWhy(entries: number, why: LoreWhy | undefined): string {
  if (entries === 0) return 'There is no lore here yet, so no reply used any.';
  if (!why) return 'No reply has been written since the lore was added; ask again after the next one.';
  const item = (i: LoreWhy['used'][number]) => `${i.key} (${i.reason === 'always' ? 'always on' : 'mentioned'}, ~${i.tokens} tokens)`;
  const lines = [`Lore for the last reply (budget ~${why.budget} tokens):`];
  lines.push(`Used: ${why.used.length ? why.used.map(item).join('; ') : 'none'}.`);
  if (why.skipped.length) lines.push(`Skipped, over the budget: ${why.skipped.map(item).join('; ')}.`);
  if (why.quiet) lines.push(`Not mentioned recently: ${why.quiet} ${why.quiet === 1 ? 'entry' : 'entries'}.`);
  return lines.join('\n');
}
