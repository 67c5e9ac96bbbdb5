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
    yield* session.say(session.t('model.onlyOne'), true);
    return;
  }
  const current = modelInUse(session);
  const { t } = session;
  const lines = menu.names.map((name) =>
    t('model.line', { mark: name === current ? '▸' : '•', name, images: menu.seesImages(name) ? t('model.seesImages') : '' }),
  );
  if (menu.names.length > 1) lines.push(t('model.how'));
  yield* session.say(`${t('model.head')}\n${lines.join('\n')}`, true);
}

/**
 * `/model <name>`: this conversation's model from the next reply on (a manager's choice in a shared
 * channel). Its memory stays as it is: the next model reads the same turns and summary.
 */
export async function* switchModel(session: Session, input: string): AsyncGenerator<ReplyPart> {
  await session.requireManager({ key: 'model.whatSwitch' }, { key: 'model.seeList' });
  const menu = session.deps.models;
  const names = menu?.names ?? [];
  const name = menu?.find(input);
  if (!menu || name === undefined) {
    const list = names.length ? { key: 'model.modelsHere', vars: { names: names.join(', ') } } : { key: 'model.oneHere' };
    throw UserFacingError.of('bad_input', 'model.noModel', { input: input.trim(), list });
  }
  if (name === modelInUse(session)) {
    yield* session.say(session.t('model.already', { name }), true);
    return;
  }
  await session.commitMeta(withModel(session.meta, name));
  yield* session.say(session.t('model.switched', { name }), true);
}
