import { beforeAll, describe, expect, it } from 'vitest';
import { labelledPoems } from '../../bench/poems.js';
import { loadDictionary } from '../../src/features/poem/checker/dictionary.js';
import { checkPoem } from '../../src/features/poem/checker/forms.js';
import { poemSentences } from '../../src/features/poem/sentences.js';
import { addSentences, english, render, translator } from '../../src/i18n/index.js';

const zh = translator('zh-CN');

beforeAll(loadDictionary);
// Added when an engine is made; these tests check without one.
beforeAll(() => addSentences('poem', poemSentences));

describe('poetry: the verdict is data, said in English or Chinese', () => {
  it('a sonnet’s segments, with the rhyme that misses', () => {
    const lines = labelledPoems()
      .find((p) => p.id === 'shakespeare-116')!
      .text.trimEnd()
      .split('\n');
    lines[10] = 'Love alters not with his brief hours and days,';
    const check = checkPoem(lines.join('\n'), 'sonnet');
    expect(render(zh, check.rubric)).toBe('十四行诗：14 行 ✓，押韵 ABAB CDCD EFEF GG ✗（第 9/11 行不押韵），每行约十个音节 ✓');
    expect(check.problems.map((p) => render(zh, p))).toEqual(['第 9/11 行不押韵（cheeks / days）']);
    expect(render(english, check.rubric)).toBe("sonnet: 14 lines ✓, rhyme ABAB CDCD EFEF GG ✗ (lines 9/11 don't rhyme), about ten syllables a line ✓");
  });

  it('more than three problems: the first three, then how many more', () => {
    const check = checkPoem('Red\nleaves\nfall\ndown', 'haiku');
    expect(render(english, check.rubric)).toBe('haiku: 4 lines (wants 3); line 1 has 1 syllable (wants 5); line 2 has 1 syllable (wants 7); and 1 more ✗');
    expect(render(zh, check.rubric)).toBe('俳句：共 4 行（应为 3 行）；第 1 行有 1 个音节（应为 5 个）；第 2 行有 1 个音节（应为 7 个）；另有 1 处 ✗');
  });

  it('jueju, limerick and an empty reply', () => {
    expect(render(zh, checkPoem('床前明月光，\n疑是地上白霜。\n举头望明月，\n低头思故乡。', 'jueju5').rubric)).toBe(
      '五言绝句：第 2 行有 6 个字（应为 5 个） ✗',
    );
    expect(render(zh, checkPoem('Before my bed the moonlight glows', 'jueju7').rubric)).toBe('七言绝句：不是用中文写的 ✗');
    expect(render(zh, checkPoem('床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。', 'jueju5').rubric)).toBe('五言绝句 4×5 ✓');
    const lear =
      'There was an Old Man with a beard,\nWho said, "It is just as I feared!\nTwo Owls and a Hen,\nFour Larks and a Wren,\nHave all built their nests in my hat!"';
    expect(render(zh, checkPoem(lear, 'limerick').rubric)).toBe('五行打油诗：第 5 行与第 1、2 行不押韵（hat） ✗');
    expect(render(zh, checkPoem(lear.replace('my hat', 'my beard'), 'limerick').rubric)).toBe('五行打油诗 AABBA，长长短短长 ✓');
    expect(render(zh, checkPoem('\n', 'tanka').rubric)).toBe('短歌：没有诗行 ✗');
    expect(render(zh, checkPoem('anything', 'free').rubric)).toBe('自由诗 ✓');
  });
});
