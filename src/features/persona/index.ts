import type { Feature } from '../../engine/feature.js';
import { personaSentences } from './sentences.js';

/**
 * Personas: list, show and switch the conversation's persona, and import one from a character
 * card (from-card.ts, install.ts). The personas themselves are data (src/personas/).
 */
export const personaFeature: Feature = { name: 'persona', sentences: personaSentences };
