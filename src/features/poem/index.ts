import type { Feature } from '../../engine/feature.js';
import { poemSentences } from './sentences.js';

/** Poems that keep their form: drafted, checked (checker/), repaired, then shown with a verdict. */
export const poemFeature: Feature = {
  name: 'poem',
  sentences: poemSentences,
  starters: [{ title: 'Write a poem', message: '/poem the first snow of winter form:haiku' }],
};
