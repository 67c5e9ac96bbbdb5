import type { Feature } from '../../engine/feature.js';

/** /usage: tokens used today and the limits (fair use, src/fair-use.ts). */
export const usageFeature: Feature = { name: 'usage' };
