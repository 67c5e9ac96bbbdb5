import type { ConversationMeta } from '../../memory/types.js';

/** The model feature's settings in `meta.settings.model`: the name a conversation chose (as in MUSE_MODELS). */
export interface ModelSettings {
  name: string;
}

/** The model this conversation chose, if it chose one (the app checks it is still on the list). */
export function chosenModel(meta: ConversationMeta): string | undefined {
  const settings = meta.settings['model'] as Partial<ModelSettings> | undefined;
  return typeof settings?.name === 'string' ? settings.name : undefined;
}

/** The meta with `name` chosen. */
export function withModel(meta: ConversationMeta, name: string): ConversationMeta {
  const settings: ModelSettings = { name };
  return { ...meta, settings: { ...meta.settings, model: settings } };
}
