import type { Feature } from '../../engine/feature.js';
import { poemSentences } from './sentences.js';

/** Poems that keep their form: drafted, checked (checker/), repaired, then shown with a verdict. */
export const poemFeature: Feature = {
  name: 'poem',
  sentences: poemSentences,
  starters: [{ ...poemSentences.en.starter, words: 'poem.starter' }],
};
