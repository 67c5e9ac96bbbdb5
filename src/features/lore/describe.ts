import type { Translate } from '../../i18n/index.js';
import type { LoreEntry, LoreWhy } from './types.js';

/** "Ember (also: the red dragon) [always on]: A red dragon who guards the pass." */
export function describeEntry(entry: LoreEntry, t: Translate, maxText = 300): string {
  const aliases = entry.aliases.length ? t('lore.describe.aliases', { names: entry.aliases.join(t('lore.describe.nameSep')) }) : '';
  const always = entry.always ? t('lore.describe.always') : '';
  const flat = entry.text.replace(/\s+/g, ' ');
  const text = flat.length > maxText ? `${flat.slice(0, maxText - 1)}…` : flat;
  return t('lore.describe.entry', { key: entry.key, aliases, always, text });
}

/** The answer to `lore why`. */
export function describeWhy(entries: number, why: LoreWhy | undefined, t: Translate): string {
  if (entries === 0) return t('lore.why.noLore');
  if (!why) return t('lore.why.notYet');
  const item = (i: LoreWhy['used'][number]) =>
    t('lore.why.item', { key: i.key, reason: i.reason === 'always' ? t('lore.why.always') : t('lore.why.mentioned'), tokens: i.tokens });
  const items = (list: LoreWhy['used']) => list.map(item).join(t('lore.why.itemSep'));
  const lines = [t('lore.why.head', { budget: why.budget })];
  lines.push(t('lore.why.used', { items: why.used.length ? items(why.used) : t('lore.why.none') }));
  if (why.skipped.length) lines.push(t('lore.why.skipped', { items: items(why.skipped) }));
  if (why.quiet) lines.push(why.quiet === 1 ? t('lore.why.quietOne') : t('lore.why.quiet', { n: why.quiet }));
  return lines.join('\n');
}
