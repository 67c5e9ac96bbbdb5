import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { chosenModel, withModel } from './settings.js';

/** The model in use in this conversation: the one it chose while it is still offered, else the default (the first). */
export function modelInUse(session: Session): string | undefined {
  const names = session.deps.models?.names ?? [];
  const chosen = chosenModel(session.meta);
  return chosen !== undefined && names.includes(chosen) ? chosen : names[0];
}

/** `/model`: the models offered, the one in use here marked, and which see images. */
export async function* listModels(session: Session): AsyncGenerator<ReplyPart> {
  const menu = session.deps.models;
  if (!menu?.names.length) {
    yield* session.say('Muse has one model here, so there is none to switch to.', true);
    return;
  }
  const current = modelInUse(session);
  const lines = menu.names.map((name) => `${name === current ? '▸' : '•'} ${name}${menu.seesImages(name) ? ' (sees images)' : ''}`);
  const how = menu.names.length > 1 ? '\nSwitch with /model <name>.' : '';
  yield* session.say(`Models (▸ is in use here):\n${lines.join('\n')}${how}`, true);
}

/**
 * `/model <name>`: this conversation's model from the next reply on (a manager's choice in a shared
 * channel). Its memory stays as it is: the next model reads the same turns and summary.
 */
export async function* switchModel(session: Session, input: string): AsyncGenerator<ReplyPart> {
  await session.requireManager('switch the model', 'Type /model to see the models.');
  const menu = session.deps.models;
  const names = menu?.names ?? [];
  const name = menu?.find(input);
  if (!menu || name === undefined) {
    const list = names.length ? `the models here are ${names.join(', ')}` : 'Muse has only one model here';
    throw new UserFacingError('bad_input', `There is no model "${input.trim()}" to switch to; ${list}.`);
  }
  if (name === modelInUse(session)) {
    yield* session.say(`Muse already answers with ${name} here.`, true);
    return;
  }
  await session.commitMeta(withModel(session.meta, name));
  yield* session.say(`Muse answers with ${name} here from the next reply on; what it remembers of this conversation is unchanged.`, true);
}
