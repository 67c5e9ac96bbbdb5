import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { features } from '../../commands/index.js';
import { Registry } from '../../src/engine/registry.js';
import { en } from '../../src/i18n/en.js';
import { addSentences, english, sentenceAreas, translator, type SentenceTree } from '../../src/i18n/index.js';

/** Every sentence of a tree by its dotted key. */
function flatten(tree: SentenceTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, value);
    else for (const [k, v] of flatten(value, key)) out.set(k, v);
  }
  return out;
}

const variables = (sentence: string) => [...sentence.matchAll(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g)].map((m) => m[1] ?? m[2]).sort();

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe("the features' own sentences", () => {
  new Registry(features);

  it('has, for every feature that brings sentences, each key in both languages with the same variables', () => {
    for (const feature of features) {
      if (!feature.sentences) continue;
      const english_ = flatten(feature.sentences.en);
      const chinese = flatten(feature.sentences['zh-CN']);
      expect({ area: feature.name, keys: [...chinese.keys()].sort() }).toEqual({ area: feature.name, keys: [...english_.keys()].sort() });
      for (const [key, sentence] of english_) {
        expect({ key: `${feature.name}.${key}`, variables: variables(chinese.get(key) ?? '') }).toEqual({
          key: `${feature.name}.${key}`,
          variables: variables(sentence),
        });
      }
    }
  });

  it('finds an area added after start in both languages, English where Chinese lacks a key, and refuses a built-in area', () => {
    addSentences('testarea', { en: { hello: 'Hello {{name}}', only: 'English only' }, 'zh-CN': { hello: '你好 {{name}}' } });
    expect(translator('zh-CN')('testarea.hello', { name: 'Mira' })).toBe('你好 Mira');
    expect(english('testarea.hello', { name: 'Mira' })).toBe('Hello Mira');
    expect(translator('zh-CN')('testarea.only')).toBe('English only');
    expect(sentenceAreas().has('testarea')).toBe(true);
    expect(() => addSentences('engine', { en: {}, 'zh-CN': {} })).toThrow(/Muse's own/);
  });

  it('has an English sentence for every key the code names, t(…) or { key: … }', () => {
    const known = new Set(flatten(en).keys());
    for (const [area, sentences] of sentenceAreas()) for (const key of flatten(sentences.en).keys()) known.add(`${area}.${key}`);
    const missing: string[] = [];
    for (const file of [...sources('src'), ...sources('commands')].filter((f) => !f.startsWith(join('src', 'i18n')))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /\bt\(\s*'([a-zA-Z]+\.[\w.]+)'|\bkey: '([a-zA-Z]+\.[\w.]+)'|\bforbidden\(\s*'([a-zA-Z]+\.[\w.]+)'|\.of\(\s*'\w+',\s*'([a-zA-Z]+\.[\w.]+)'/g,
      )) {
        const key = m[1] ?? m[2] ?? m[3] ?? m[4]!;
        if (!known.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
