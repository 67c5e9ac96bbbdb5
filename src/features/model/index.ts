import type { Feature } from '../../engine/feature.js';
import { modelSentences } from './sentences.js';
import { chosenModel } from './settings.js';

/**
 * A model per conversation: `/model` lists the operator's models (MUSE_MODEL, MUSE_MODELS) and
 * switches this conversation's. The choice is kept in `meta.settings.model` and outlives a new
 * story or lesson; the app reads it (chosenModel) to give each reply its backend.
 */
export const modelFeature: Feature = {
  name: 'model',
  keepsSettings: true,
  sentences: modelSentences,
  describe: (meta, t) => {
    const name = chosenModel(meta);
    return name === undefined ? [] : [t('model.describe', { name })];
  },
};

export { chosenModel };
