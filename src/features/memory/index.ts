import type { Feature } from '../../engine/feature.js';
import { memorySentences } from './sentences.js';

/** What Muse remembers of a conversation: shown (each feature describes its part) and forgotten. */
export const memoryFeature: Feature = { name: 'memory', sentences: memorySentences };
