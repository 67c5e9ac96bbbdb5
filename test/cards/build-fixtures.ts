/**
 * Writes the card PNG fixtures from the JSON fixtures (run: npx tsx test/cards/build-fixtures.ts).
 * test/cards/png.test.ts checks the committed files are what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cardPng } from './png-fixture.js';

export const CARDS = join(import.meta.dirname, '../fixtures/cards');

export function fixturePngs(): Record<string, Buffer> {
  return {
    'mira-v2.png': cardPng('chara', readFileSync(join(CARDS, 'mira-v2.json'), 'utf8')),
    'kai-v3.png': cardPng('ccv3', readFileSync(join(CARDS, 'kai-v3.json'), 'utf8')),
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  for (const [name, data] of Object.entries(fixturePngs())) writeFileSync(join(CARDS, name), data);
}
