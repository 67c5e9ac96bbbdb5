import { asCard, readJsonFile, type Card } from '../../cards/card.js';
import { ImportError } from '../../cards/errors.js';
import { readUpload } from '../../cards/upload.js';
import type { ConversationRef } from '../../engine/conversation.js';
import { UserFacingError } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { count, personaFields } from '../../personas/parse.js';
import { PERSONA_LIMITS, PERSONA_NAME, type PersonaFields } from '../../personas/schema.js';
import { personaFromCard } from './from-card.js';

/** The longest display name and file name kept with an import. */
const MAX_LABEL = 100;

/**
 * `persona import`: a Character Card V2/V3 (or V1) as JSON or PNG becomes a persona of this
 * tenant (the server, the workspace, or in DMs the user), kept in the store with who imported it,
 * when, and the card. It may not take a built-in persona's name; re-importing a name replaces the
 * tenant's own. Returns the sentence to show; every refusal is one sentence, and nothing is kept.
 */
export async function importPersona(session: Session, options: { path?: string; name?: string; mode?: string }): Promise<string> {
  const wanted = options.name?.trim().toLowerCase();
  if (wanted !== undefined && !PERSONA_NAME.test(wanted)) {
    throw new UserFacingError('bad_input', `The name "${options.name}" cannot be a persona name: use 1-32 lowercase letters, digits, - or _.`);
  }
  const upload = await readUpload(session, options.path, 'a character card (JSON or PNG)');
  let card: Card | undefined;
  try {
    card = asCard(readJsonFile(upload.data));
  } catch (err) {
    if (err instanceof ImportError) {
      throw new UserFacingError('bad_input', `Could not import ${upload.name}: ${err.message}; nothing was imported.`, { cause: err.cause });
    }
    throw err;
  }
  if (!card)
    throw new UserFacingError(
      'bad_input',
      `Could not import ${upload.name}: it is not a character card (no chara_card_v2/v3 spec, no name); nothing was imported.`,
    );
  const { persona, greetingShortened } = personaFromCard(card, {
    ...(wanted ? { name: wanted } : {}),
    ...(options.mode === 'story' || options.mode === 'chat' ? { mode: options.mode } : {}),
  });
  const builtIns = session.personas.builtIns;
  if (builtIns.get(persona.name) || builtIns.errorFor(persona.name)) {
    throw new UserFacingError('bad_input', `"${persona.name}" is a built-in persona; import the card under another name with name:, nothing was imported.`);
  }
  checkPersona(persona);
  const kept = keptCard(card);
  const outcome = await session.personas.imported.save(persona, {
    tenant: session.tenant,
    by: { id: session.speaker.id, name: session.speaker.name.slice(0, MAX_LABEL) },
    at: session.now(),
    cardFile: upload.name.slice(0, MAX_LABEL),
    cardJson: kept.json,
  });
  if (outcome === 'full') {
    throw new UserFacingError(
      'bad_input',
      `Muse keeps at most ${session.personas.imported.limit} imported personas here; remove one with /persona remove first, nothing was imported.`,
    );
  }
  const replaced = outcome === 'replaced' ? ' (replacing the earlier import)' : '';
  const book = card.data.character_book !== undefined ? ' Its lore (character_book) can be added with /lore import.' : '';
  const cut = greetingShortened ? ' Its first message was shortened to fit a greeting (the whole card is kept with it).' : '';
  const dropped = kept.bookDropped ? ' The card was kept without its character_book, which is too large to keep with it.' : '';
  return `Imported ${card.data.name} as the persona "${persona.name}"${replaced} ${scope(session.ref)}; switch to it with /persona use ${persona.name}.${cut}${dropped}${book}`;
}

/** The persona made from the card, checked field by field and against the size caps. */
function checkPersona(persona: PersonaFields): void {
  if (persona.prompt.length > PERSONA_LIMITS.prompt) {
    throw new UserFacingError(
      'bad_input',
      `The persona made from this card would have a prompt of ${count(persona.prompt.length)} characters; Muse takes at most ${count(PERSONA_LIMITS.prompt)}, so nothing was imported.`,
    );
  }
  const { maxOutputTokens, prompt, ...rest } = persona;
  try {
    personaFields({ ...rest, max_output_tokens: maxOutputTokens }, prompt);
  } catch (err) {
    throw new UserFacingError('bad_input', `The persona made from this card is not valid (${(err as Error).message}); nothing was imported.`);
  }
}

/** The card JSON kept with the persona, within its cap: without its character_book when only that makes it too large. */
function keptCard(card: Card): { json: string; bookDropped: boolean } {
  const json = JSON.stringify(card.raw);
  if (json.length <= PERSONA_LIMITS.card) return { json, bookDropped: false };
  const raw = card.raw;
  const lean = JSON.stringify(
    card.spec === 'v1' ? { ...raw, character_book: undefined } : { ...raw, data: { ...(raw.data as object), character_book: undefined } },
  );
  if (lean.length <= PERSONA_LIMITS.card) return { json: lean, bookDropped: true };
  throw new UserFacingError(
    'bad_input',
    `This card holds ${count(Math.ceil(json.length / 1024))} KB of text; Muse keeps cards of at most ${count(PERSONA_LIMITS.card / 1024)} KB, so nothing was imported.`,
  );
}

/** Whose persona it becomes, in words. */
function scope(ref: ConversationRef): string {
  if (ref.dm) return 'for you alone';
  return ref.platform === 'discord' ? 'for this server' : 'for this workspace';
}
