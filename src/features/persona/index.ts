import type { Feature } from '../../engine/feature.js';

/**
 * Personas: list, show and switch the conversation's persona, and import one from a character
 * card (from-card.ts, install.ts). The personas themselves are data (src/personas/).
 */
export const personaFeature: Feature = { name: 'persona' };
