import type { Feature } from '../../engine/feature.js';
import { usageSentences } from './sentences.js';

/** /usage: tokens used today and the limits (fair use, src/fair-use.ts). */
export const usageFeature: Feature = { name: 'usage', sentences: usageSentences };
