import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { addSentences, english, translator } from '../../src/i18n/index.js';

describe("a feature's sentence area added again", () => {
  it('replaces its sentences (an engine per test registers the same features) and leaves en.ts as written', () => {
    addSentences('againarea', { en: { hello: 'Hello {{name}}' }, 'zh-CN': { hello: '你好 {{name}}' } });
    expect(Object.hasOwn(en, 'againarea')).toBe(false);
    addSentences('againarea', { en: { hello: 'Hi {{name}}' }, 'zh-CN': { hello: '嗨 {{name}}' } });
    expect(english('againarea.hello', { name: 'Mira' })).toBe('Hi Mira');
    expect(translator('zh-CN')('againarea.hello', { name: 'Mira' })).toBe('嗨 Mira');
  });
});
