import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { addSentences, english, translator } from '../../src/i18n/index.js';
import { zhCN } from '../../src/i18n/zh-CN.js';
import { makeEngine } from '../support/engine.js';

describe("a feature's sentence area, added again and again", () => {
  it("leaves Muse's own sentences as they are, so the same area may be added by every engine made", async () => {
    addSentences('againarea', { en: { hi: 'Hi {{name}}' }, 'zh-CN': { hi: '你好，{{name}}' } });
    expect(Object.hasOwn(en, 'againarea')).toBe(false);
    expect(Object.hasOwn(zhCN, 'againarea')).toBe(false);
    expect(() => addSentences('againarea', { en: { hi: 'Hello {{name}}' }, 'zh-CN': { hi: '您好，{{name}}' } })).not.toThrow();
    expect(english('againarea.hi', { name: 'Mira' })).toBe('Hello Mira');
    expect(translator('zh-CN')('againarea.hi', { name: 'Mira' })).toBe('您好，Mira');
    // Two engines in one process register Muse's features (lore, persona…) twice.
    await makeEngine();
    await expect(makeEngine()).resolves.toBeDefined();
  });
});
