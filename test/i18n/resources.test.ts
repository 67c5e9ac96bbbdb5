import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { english, normalizeLocale, resolveLocale, translator } from '../../src/i18n/index.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

/** Every sentence of a resource object by its dotted key. */
function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, value);
    else for (const [k, v] of flatten(value as object, key)) out.set(k, v);
  }
  return out;
}

/** The placeholders a sentence takes: {{name}} for i18next, {where} for a surface's own. */
const variables = (sentence: string) => [...sentence.matchAll(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g)].map((m) => m[1] ?? m[2]).sort();

describe("Muse's sentences in English and Simplified Chinese", () => {
  const english_ = flatten(en);
  const chinese = flatten(zhCN);

  it('has every key in both languages, with the same variables', () => {
    expect([...chinese.keys()].sort()).toEqual([...english_.keys()].sort());
    for (const [key, sentence] of english_) {
      expect({ key, variables: variables(chinese.get(key) ?? '') }).toEqual({ key, variables: variables(sentence) });
    }
    expect(english_.size).toBeGreaterThan(40);
  });

  it('translates per call without a global language, and falls back to English for a missing key', () => {
    const zh = translator('zh-CN');
    expect(zh('plan.unknownCommand', { command: 'dance' })).toBe('没有 /dance 这个命令。输入 /help 查看所有命令。');
    expect(english('plan.unknownCommand', { command: 'dance' })).toBe('There is no command /dance. Type /help to see the commands.');
    expect(zh('manager.forbidden', { what: { key: 'manager.use', vars: { command: 'memory clear' } } })).toBe(
      '只有能管理这个频道的人才能在这里使用 /memory clear。',
    );
    expect(english('manager.forbidden', { what: { key: 'manager.use', vars: { command: 'memory clear' } } })).toBe(
      'Only people who can manage this channel may use /memory clear here.',
    );
  });

  it('leaves what people wrote as written: no escaping, no template or nesting inside a value', () => {
    const said = '<b>&</b> {{max}} $t(plan.empty)';
    expect(english('plan.unknownCommand', { command: said })).toBe(`There is no command /${said}. Type /help to see the commands.`);
  });

  it('reads any zh* locale as zh-CN and everything else as English; an override wins', () => {
    expect(['zh', 'zh-CN', 'zh-TW', 'zh_CN.UTF-8', 'ZH_HK'].map(normalizeLocale)).toEqual(Array(5).fill('zh-CN'));
    expect(['en-US', 'en-GB', 'fr', 'C.UTF-8', '', undefined, 'zha'].map(normalizeLocale)).toEqual(Array(7).fill('en'));
    expect(resolveLocale('en', 'zh-CN')).toBe('en');
    expect(resolveLocale(undefined, 'zh-CN')).toBe('zh-CN');
  });
});
