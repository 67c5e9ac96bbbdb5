import { createHash } from 'node:crypto';
import type { Card } from '../../cards/card.js';
import { PERSONA_LIMITS, type PersonaFields } from '../../personas/schema.js';

/** What `{{user}}` becomes: personas are shared by every player, so no one's name. */
export const USER_STAND_IN = 'the player';

export interface CardPersona {
  persona: PersonaFields;
  /** Set when first_mes was longer than a greeting may be and was shortened. */
  greetingShortened: boolean;
}

/**
 * A persona from a character card: `{{char}}` (and `<BOT>`) become the card's name,
 * `{{user}}` (and `<USER>`) "the player"; first_mes is the greeting; the prompt is made of
 * system_prompt, description, personality, scenario, mes_example and post_history_instructions.
 */
export function personaFromCard(card: Card, options: { name?: string; mode?: 'chat' | 'story' } = {}): CardPersona {
  const d = card.data;
  const fill = (text: string): string =>
    text
      .replace(/\{\{\s*char\s*\}\}|<BOT>/gi, d.name)
      .replace(/\{\{\s*user\s*\}\}|<USER>/gi, USER_STAND_IN)
      .replace(/\r\n/g, '\n')
      .trim();
  const name = options.name ?? slug(d.name);
  const sections: string[] = [
    `You are ${d.name}. Stay in character as ${d.name} throughout this conversation. Each player message starts with the player's name; answer them as ${d.name} would.`,
  ];
  const system = fill(d.system_prompt.replace(/\{\{\s*original\s*\}\}/gi, ''));
  if (system) sections.push(system);
  const part = (title: string, text: string) => {
    const body = fill(text);
    if (body) sections.push(`${title}:\n${body}`);
  };
  part(`About ${d.name}`, d.description);
  part('Personality', d.personality);
  part('Scenario', d.scenario);
  part(`Examples of how ${d.name} speaks`, d.mes_example);
  part('Always', d.post_history_instructions);

  const firstMes = fill(d.first_mes) || `${d.name} is here.`;
  const greeting = shorten(firstMes, PERSONA_LIMITS.greeting);
  const persona: PersonaFields = {
    name,
    description: shorten(`Plays ${d.name} (imported character card).`, PERSONA_LIMITS.description),
    mode: options.mode ?? 'chat',
    temperature: 0.8,
    maxOutputTokens: 600,
    greeting,
    prompt: sections.join('\n\n'),
  };
  return { persona, greetingShortened: greeting !== firstMes };
}

/** A persona name from a card name: "Élodie the Bard" → "elodie-the-bard"; "card-1a2b3c" when nothing is left. */
export function slug(cardName: string): string {
  const base = cardName
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-');
  const name = trimDashes(trimDashes(base).slice(0, 32));
  return name || `card-${createHash('sha256').update(cardName).digest('hex').slice(0, 6)}`;
}

/** Without - and _ at either end, by a loop (/[-_]+$/ is quadratic on a long run of them inside the name). */
function trimDashes(text: string): string {
  const dash = (c: string | undefined) => c === '-' || c === '_';
  let start = 0;
  let end = text.length;
  while (start < end && dash(text[start])) start++;
  while (end > start && dash(text[end - 1])) end--;
  return text.slice(start, end);
}

/** Cuts at a paragraph, sentence or word boundary so the result (with "…") fits `max`. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const cut = Math.max(head.lastIndexOf('\n\n'), head.search(/[.!?。！？][^.!?。！？]*$/) + 1, head.lastIndexOf(' '));
  return `${(cut > max / 2 ? head.slice(0, cut) : head).trimEnd()}…`;
}
