import { basename } from 'node:path';
import { UserFacingError } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { asCard, readJsonFile, type Card } from '../../cards/card.js';
import { ImportError } from '../../cards/errors.js';
import { installPersona } from './install.js';
import { personaFromCard } from './from-card.js';
import { readUpload } from '../../cards/upload.js';

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * `persona import`: a Character Card V2/V3 (or V1) as JSON or PNG becomes a persona file in the
 * persona folder, with the card JSON kept beside it. Returns the sentence to show.
 */
export async function importPersona(session: Session, options: { path?: string; name?: string; mode?: string }): Promise<string> {
  // Persona files are shared by every conversation Muse serves, and anyone may do anything in a
  // DM: there only the terminal (whose user runs Muse) may add one.
  if (session.ref.dm && session.ref.platform !== 'terminal') {
    throw new UserFacingError(
      'forbidden',
      'Personas are shared by every channel Muse serves, so they can be imported only in a channel you manage, not in a DM.',
    );
  }
  const wanted = options.name?.trim().toLowerCase();
  if (wanted !== undefined && !NAME.test(wanted)) {
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
  const persona = personaFromCard(card, {
    ...(wanted ? { name: wanted } : {}),
    ...(options.mode === 'story' || options.mode === 'chat' ? { mode: options.mode } : {}),
  });
  const file = installPersona(session.personas, persona);
  const book = card.data.character_book !== undefined ? ' Its lore (character_book) can be added with /lore import.' : '';
  const cut = persona.greetingShortened ? ' Its first message was shortened to fit a greeting (the whole card is kept beside the file).' : '';
  return `Imported ${card.data.name} as the persona "${persona.name}" (${basename(file)}); switch to it with /persona use ${persona.name}.${cut}${book}`;
}
