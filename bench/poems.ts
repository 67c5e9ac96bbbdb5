/**
 * The labelled poems in test/fixtures/poems/*.yaml and the poem checker's agreement with them:
 * the fraction of poems whose verdict (keeps its form or not) agrees with the label. A bench
 * figure (bench/poetry.ts) that the checker's tests also hold to; it lives here because bench/
 * imports nothing from test/ but the loopback fakes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadDictionary } from '../src/features/poem/checker/dictionary.js';
import { checkPoem, POEM_FORM_VALUES, type PoemCheck, type PoemForm } from '../src/features/poem/checker/forms.js';

export const POEMS_DIR = resolve(import.meta.dirname, '../test/fixtures/poems');

export interface LabelledPoem {
  id: string;
  form: PoemForm;
  valid: boolean;
  why?: string;
  source?: string;
  text: string;
  file: string;
}

export function labelledPoems(dir = POEMS_DIR): LabelledPoem[] {
  const out: LabelledPoem[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const items = parse(readFileSync(join(dir, file), 'utf8')) as LabelledPoem[];
    for (const item of items) {
      if (!POEM_FORM_VALUES.includes(item.form) || typeof item.valid !== 'boolean' || typeof item.text !== 'string' || !item.id) {
        throw new Error(`${file}: poem ${item.id ?? '?'} needs id, a known form, valid (true/false) and text`);
      }
      if (!item.valid && !item.why) throw new Error(`${file}: invalid poem ${item.id} needs a why`);
      out.push({ ...item, file });
    }
  }
  return out;
}

export interface Agreement {
  agreement: number;
  total: number;
  disagreements: Array<{ poem: LabelledPoem; check: PoemCheck }>;
}

export async function checkerAgreement(poems = labelledPoems()): Promise<Agreement> {
  await loadDictionary();
  const disagreements: Agreement['disagreements'] = [];
  for (const poem of poems) {
    const check = checkPoem(poem.text, poem.form);
    if (check.ok !== poem.valid) disagreements.push({ poem, check });
  }
  return { agreement: (poems.length - disagreements.length) / poems.length, total: poems.length, disagreements };
}
