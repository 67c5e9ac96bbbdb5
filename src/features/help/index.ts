import type { Feature } from '../../engine/feature.js';

/** The list of commands, from the registry. */
export const helpFeature: Feature = { name: 'help' };
