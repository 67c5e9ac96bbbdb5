import { asCard, readJsonFile, type Card } from '../../cards/card.js';
import { ImportError, importRefused } from '../../cards/errors.js';
import { readUpload } from '../../cards/upload.js';
import type { ConversationRef } from '../../engine/conversation.js';
import { UserFacingError } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { Localized } from '../../i18n/index.js';
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
    throw UserFacingError.of('bad_input', 'persona.import.badName', { name: options.name ?? '' });
  }
  const upload = await readUpload(session, options.path, { key: 'cards.card' });
  let card: Card | undefined;
  try {
    card = asCard(readJsonFile(upload.data));
  } catch (err) {
    if (err instanceof ImportError) throw importRefused(upload.name, err);
    throw err;
  }
  if (!card) throw UserFacingError.of('bad_input', 'persona.import.notCard', { file: upload.name });
  const { persona, greetingShortened } = personaFromCard(card, {
    ...(wanted ? { name: wanted } : {}),
    ...(options.mode === 'story' || options.mode === 'chat' ? { mode: options.mode } : {}),
  });
  const builtIns = session.personas.builtIns;
  if (builtIns.get(persona.name) || builtIns.errorFor(persona.name)) {
    throw UserFacingError.of('bad_input', 'persona.import.builtIn', { name: persona.name });
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
    throw UserFacingError.of('bad_input', 'persona.import.full', { limit: session.personas.imported.limit });
  }
  const { t } = session;
  return t('persona.import.done', {
    card: card.data.name,
    name: persona.name,
    replaced: outcome === 'replaced' ? t('persona.import.replaced') : '',
    scope: scope(session.ref),
    cut: greetingShortened ? t('persona.import.cut') : '',
    dropped: kept.bookDropped ? t('persona.import.dropped') : '',
    book: card.data.character_book !== undefined ? t('persona.import.book') : '',
  });
}

/** The persona made from the card, checked field by field and against the size caps. */
function checkPersona(persona: PersonaFields): void {
  if (persona.prompt.length > PERSONA_LIMITS.prompt) {
    throw UserFacingError.of('bad_input', 'persona.import.promptTooLong', { length: count(persona.prompt.length), max: count(PERSONA_LIMITS.prompt) });
  }
  const { maxOutputTokens, prompt, ...rest } = persona;
  try {
    personaFields({ ...rest, max_output_tokens: maxOutputTokens }, prompt);
  } catch (err) {
    throw UserFacingError.of('bad_input', 'persona.import.invalid', { reason: (err as Error).message });
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
  throw UserFacingError.of('bad_input', 'persona.import.cardTooBig', { size: count(Math.ceil(json.length / 1024)), max: count(PERSONA_LIMITS.card / 1024) });
}

/** Whose persona it becomes, in words. */
function scope(ref: ConversationRef): Localized {
  if (ref.dm) return { key: 'persona.import.forYou' };
  return ref.platform === 'discord' ? { key: 'persona.import.forServer' } : { key: 'persona.import.forWorkspace' };
}
