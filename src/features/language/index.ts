import type { Feature } from '../../engine/feature.js';

/** The language of Muse's own sentences for one user (/language); the sentences are in src/i18n. */
export const languageFeature: Feature = { name: 'language' };
