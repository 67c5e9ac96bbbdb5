import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { asCard, readJsonFile } from '../../src/cards/card.js';
import { ImportError } from '../../src/cards/errors.js';
import { personaFromCard } from '../../src/features/persona/from-card.js';
import { UserFacingError } from '../../src/engine/parts.js';
import { bookChars, MAX_ALIASES, MAX_BOOK_CHARS, MAX_NAME_CHARS } from '../../src/features/lore/caps.js';
import { loreFromUpload } from '../../src/features/lore/import.js';
import { sameKey } from '../../src/features/lore/keys.js';
import { MAX_ENTRIES, MAX_TEXT_CHARS } from '../../src/features/lore/types.js';
import { personaFields } from '../../src/personas/parse.js';
import { PERSONA_LIMITS, PERSONA_NAME } from '../../src/personas/schema.js';
import { cardPng } from '../cards/png-fixture.js';

/** Mostly `good`, sometimes anything at all (a field of the wrong type, a list for an object...). */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });
/** Names as files have them: words, commas, spaces, case twins, empty ones, and some far too long. */
const name = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: fc.constantFrom('a', 'B', 'b', 'é', '灯', ' ', ',', '-', '\t'), maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 95, max: 130 }).map((n) => 'n'.repeat(n)) },
);
const names = mostly(
  fc.oneof(
    { weight: 6, arbitrary: fc.array(name, { maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(name, { minLength: 30, maxLength: 40 }) },
    { weight: 3, arbitrary: name },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
);
const content = mostly(
  fc.oneof(
    { weight: 12, arbitrary: fc.string({ minLength: 1, maxLength: 80 }) },
    { weight: 1, arbitrary: fc.integer({ min: 7990, max: 8010 }).map((n) => 'x'.repeat(n)) },
  ),
);
const worldInfoEntry = fc.record(
  { key: names, keysecondary: names, content, constant: fc.boolean(), disable: fc.boolean(), comment: mostly(fc.string({ maxLength: 120 })) },
  { requiredKeys: ['key', 'content'] },
);
const bookEntry = fc.record(
  { keys: names, content, constant: fc.boolean(), enabled: fc.boolean(), name: mostly(fc.string({ maxLength: 20 })), comment: fc.string({ maxLength: 20 }) },
  { requiredKeys: ['keys', 'content'] },
);
const worldInfo = fc.record({ entries: mostly(fc.dictionary(fc.string({ maxLength: 6 }), mostly(worldInfoEntry), { maxKeys: 30 })) });
const book = fc.record({ name: fc.string(), entries: mostly(fc.array(mostly(bookEntry), { maxLength: 30 })) }, { requiredKeys: ['entries'] });
const text = mostly(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })));
const cardData = fc.record(
  {
    name: text,
    description: text,
    personality: text,
    scenario: text,
    first_mes: mostly(fc.string({ maxLength: 1500 })),
    mes_example: text,
    system_prompt: text,
    post_history_instructions: text,
    character_book: mostly(book),
  },
  { requiredKeys: ['name'] },
);
const card = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ spec: fc.constantFrom('chara_card_v2', 'chara_card_v3'), spec_version: fc.constantFrom('2.0', '3.0'), data: mostly(cardData) }),
  },
  { weight: 2, arbitrary: cardData },
  { weight: 1, arbitrary: fc.record({ spec: fc.string({ maxLength: 50 }), data: cardData }) },
);
const json = fc.oneof(
  { weight: 4, arbitrary: worldInfo },
  { weight: 2, arbitrary: book },
  { weight: 4, arbitrary: card },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
/** Any bytes: JSON of those shapes, the same in a card PNG (whole or cut off), or noise. */
const bytes = fc.oneof(
  { weight: 4, arbitrary: json.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  {
    weight: 2,
    arbitrary: fc.tuple(json, fc.constantFrom('chara' as const, 'ccv3' as const), fc.option(fc.nat())).map(([v, k, cut]) => {
      const png = cardPng(k, JSON.stringify(v) ?? 'null');
      return cut === null ? png : png.subarray(0, cut % (png.length + 1));
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
);

describe('fuzz: card and World Info import', () => {
  test.prop([bytes], { numRuns: 400, interruptAfterTimeLimit: 15_000 })('any file gives lore within every cap, or one sentence and nothing', (data) => {
    let lore;
    try {
      lore = loreFromUpload({ name: 'world.json', data });
    } catch (err) {
      expect(err).toBeInstanceOf(UserFacingError);
      const message = (err as UserFacingError).message;
      expect(message).toMatch(/^Could not import world\.json: .+; nothing was imported\.$/s);
      expect(message).not.toMatch(/\n|\bat .+\.(?:ts|js):\d+/);
      return;
    }
    expect(lore.entries.length).toBeGreaterThan(0);
    expect(lore.entries.length).toBeLessThanOrEqual(MAX_ENTRIES);
    expect(bookChars(lore.entries)).toBeLessThanOrEqual(MAX_BOOK_CHARS);
    const keys = new Set<string>();
    for (const entry of lore.entries) {
      const all = [entry.key, ...entry.aliases].map(sameKey);
      expect(new Set(all).size).toBe(all.length);
      expect(keys.has(all[0]!)).toBe(false);
      keys.add(all[0]!);
      for (const n of [entry.key, ...entry.aliases]) {
        expect(n.trim()).toBe(n);
        expect(n.length).toBeGreaterThan(0);
        expect(n.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
      }
      expect(entry.aliases.length).toBeLessThanOrEqual(MAX_ALIASES);
      expect(entry.text.trim()).not.toBe('');
      expect(entry.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    }
  });

  test.prop([bytes], { numRuns: 300, interruptAfterTimeLimit: 15_000 })('any file gives a valid persona, or an ImportError naming what is wrong', (data) => {
    let parsed;
    try {
      parsed = asCard(readJsonFile(data));
    } catch (err) {
      expect(err).toBeInstanceOf(ImportError);
      return;
    }
    if (!parsed) return;
    const { persona } = personaFromCard(parsed);
    // What an import stores must pass the same checks as a persona file.
    const { maxOutputTokens, prompt, ...rest } = persona;
    const loaded = personaFields({ ...rest, max_output_tokens: maxOutputTokens }, prompt);
    expect(loaded.name).toBe(persona.name);
    expect(loaded.name).toMatch(PERSONA_NAME);
    expect(loaded.greeting.length).toBeLessThanOrEqual(PERSONA_LIMITS.greeting);
    expect(loaded.description.length).toBeLessThanOrEqual(PERSONA_LIMITS.description);
  });
});

describe('names from the file inside a refusal', () => {
  it('stay on one line and short: a card name, a World Info id and a spec with line breaks (found by the fuzzer, seed 203583092)', () => {
    const refusal = (value: unknown) => {
      try {
        loreFromUpload({ name: 'world.json', data: Buffer.from(JSON.stringify(value)) });
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('imported');
    };
    const messages = [
      refusal({ spec: 'chara_card_v2', data: { name: 'Kai\n\nIgnore this', description: 'x' } }),
      refusal({ entries: { 'a\nb': 7 } }),
      refusal({ spec: 'x\ny', data: { name: 'Kai' } }),
      refusal({ spec: 'chara_card_v2', data: { name: 'n'.repeat(5000), description: 'x' } }),
    ];
    for (const message of messages) {
      expect(message).toMatch(/^Could not import world\.json: .+; nothing was imported\.$/);
      expect(message).not.toMatch(/\n/);
      expect(message.length).toBeLessThan(300);
    }
  });
});
