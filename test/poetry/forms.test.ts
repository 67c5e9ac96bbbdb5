import { beforeAll, describe, expect, it } from 'vitest';
import { checkerAgreement, labelledPoems } from '../../bench/poems.js';
import { cleanPoem } from '../../src/features/poem/checker/clean.js';
import { loadDictionary } from '../../src/features/poem/checker/dictionary.js';
import { checkPoem, POEM_FORM_VALUES, type PoemForm } from '../../src/features/poem/checker/forms.js';
import { chineseVerses, hanCount } from '../../src/features/poem/checker/han.js';
import { poemLines } from '../../src/features/poem/checker/lines.js';
import { poemSentences } from '../../src/features/poem/sentences.js';
import { addSentences, english, render } from '../../src/i18n/index.js';
import { splitMessage } from '../../src/text/split.js';

beforeAll(loadDictionary);
// The poem's sentences are added when an engine is made; these tests check without one.
beforeAll(() => addSentences('poem', poemSentences));

const HAIKU = 'Red leaves on the path\nthe wind counts them one by one\nand loses its place';
/** The check with its verdict and problems in English (they are data: a key and variables). */
function check(text: string, form: PoemForm) {
  const c = checkPoem(text, form);
  return { ...c, rubric: render(english, c.rubric), problems: c.problems.map((p) => render(english, p)) };
}
const SONNET_116 = labelledPoems().find((p) => p.id === 'shakespeare-116')!.text;

describe('poetry: forms', () => {
  it('haiku: 5-7-5, line by line', () => {
    expect(check(HAIKU, 'haiku')).toMatchObject({ ok: true, rubric: 'haiku 5-7-5 ✓', problems: [], score: 1 });
    const bad = check('Red leaves on the path\nthe cold wind counts them one by one\nand loses its place', 'haiku');
    expect(bad).toMatchObject({ ok: false, rubric: 'haiku: line 2 has 8 syllables (wants 7) ✗', problems: ['line 2 has 8 syllables (wants 7)'] });
    expect(bad.notes[1]).toBe('line 2 "the cold wind counts them one by one": 8 syllables, wants 7 ✗');
    expect(bad.score).toBeLessThan(1);
    expect(check('Red leaves on the path\nthe wind counts them one by one', 'haiku').rubric).toBe('haiku: 2 lines (wants 3) ✗');
  });

  it('tanka: 5-7-5-7-7', () => {
    const tanka = `${HAIKU}\nthe ferry horn calls it home\nand the whole town turns its head`;
    expect(check(tanka, 'tanka')).toMatchObject({ ok: true, rubric: 'tanka 5-7-5-7-7 ✓' });
    expect(check(HAIKU, 'tanka').rubric).toBe('tanka: 3 lines (wants 5) ✗');
  });

  it('limerick: AABBA, long and short lines; the same end word counts as a rhyme', () => {
    const lear =
      'There was an Old Man with a beard,\nWho said, "It is just as I feared!\nTwo Owls and a Hen,\nFour Larks and a Wren,\nHave all built their nests in my beard!"';
    expect(check(lear, 'limerick')).toMatchObject({ ok: true, rubric: 'limerick AABBA, long-long-short-short-long ✓' });
    expect(check(lear.replace('Wren', 'Dog'), 'limerick').rubric).toBe("limerick: lines 3/4 don't rhyme (hen / dog) ✗");
    expect(check(lear.replace('in my beard', 'in my hat'), 'limerick').rubric).toBe("limerick: line 5 doesn't rhyme with lines 1-2 (hat) ✗");
    expect(check(lear.replace('Two Owls and a Hen', 'Two Owls and a Hen and a Cockatoo or a Goose'), 'limerick').problems).toEqual([
      'line 3 has 13 syllables (wants 4–7)',
      "lines 3/4 don't rhyme (goose / wren)",
    ]);
  });

  it('sonnet: 14 lines, ABAB CDCD EFEF GG, about ten syllables', () => {
    expect(check(SONNET_116, 'sonnet')).toMatchObject({ ok: true, rubric: 'sonnet: 14 lines ✓, rhyme ABAB CDCD EFEF GG ✓, about ten syllables a line ✓' });
    const lines = SONNET_116.trimEnd().split('\n');
    lines[10] = 'Love alters not with his brief hours and days,';
    expect(check(lines.join('\n'), 'sonnet')).toMatchObject({
      ok: false,
      rubric: "sonnet: 14 lines ✓, rhyme ABAB CDCD EFEF GG ✗ (lines 9/11 don't rhyme), about ten syllables a line ✓",
      problems: ["lines 9/11 don't rhyme (cheeks / days)"],
    });
    expect(check(lines.slice(0, 13).join('\n'), 'sonnet').rubric).toMatch(/^sonnet: 13 lines ✗ \(wants 14\),/);
  });

  it('jueju: four lines of five or seven Han characters, punctuation ignored, couplets split', () => {
    expect(hanCount('床前明月光，')).toBe(5);
    expect(hanCount('Moon 月 ！ 、')).toBe(1);
    expect(chineseVerses(['白日依山尽，黄河入海流。'])).toEqual(['白日依山尽，', '黄河入海流。']);
    expect(check('床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。', 'jueju5')).toMatchObject({ ok: true, rubric: '五言绝句 4×5 ✓' });
    expect(check('白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。', 'jueju5').ok).toBe(true);
    expect(check('床前明月光，\n疑是地上白霜。\n举头望明月，\n低头思故乡。', 'jueju5').rubric).toBe('五言绝句: line 2 has 6 characters (wants 5) ✗');
    expect(check('朝辞白帝彩云间，\n千里江陵一日还。\n两岸猿声啼不住，\n轻舟已过万重山。', 'jueju7').rubric).toBe('七言绝句 4×7 ✓');
    expect(check('Before my bed the moonlight glows', 'jueju7').rubric).toBe('七言绝句: not written in Chinese ✗');
  });

  it('free verse is always kept; an empty reply never is', () => {
    expect(check('anything\nat all', 'free')).toMatchObject({ ok: true, rubric: 'free verse ✓' });
    for (const form of POEM_FORM_VALUES) expect(check('\n\n', form).ok).toBe(false);
  });

  it('ignores blank lines between stanzas and a clearly marked title only', () => {
    expect(poemLines('**Autumn**\n\nRed leaves\n\nfall')).toEqual(['Red leaves', 'fall']);
    expect(poemLines('# Autumn\nRed leaves')).toEqual(['Red leaves']);
    expect(poemLines('《静夜思》\n床前明月光，')).toEqual(['床前明月光，']);
    expect(poemLines('Autumn\n\nRed leaves')).toEqual(['Autumn', 'Red leaves']);
    expect(poemLines('**Red leaves**\n**fall**')).toEqual(['**Red leaves**', '**fall**']);
    expect(check(`**Leaves**\n\n${HAIKU}`, 'haiku').ok).toBe(true);
    expect(check(`*${HAIKU.split('\n').join('*\n*')}*`, 'haiku').ok).toBe(true);
  });

  it('the better attempt scores higher', () => {
    const near = check('Red leaves on the path\nthe cold wind counts them one by one\nand loses its place', 'haiku');
    const far = check('Red leaves\nfall', 'haiku');
    expect(check(HAIKU, 'haiku').score).toBeGreaterThan(near.score);
    expect(near.score).toBeGreaterThan(far.score);
  });
});

describe('poetry: cleaning model output', () => {
  it('drops fences, quotes, preambles and commentary, keeping line and stanza breaks', () => {
    expect(cleanPoem(`Here is a haiku about autumn leaves:\n\n${HAIKU}\n\nThis haiku captures the fleeting beauty of autumn.`)).toBe(HAIKU);
    expect(cleanPoem(`Sure! Here's your haiku:\n${HAIKU}`)).toBe(HAIKU);
    expect(cleanPoem(`\`\`\`\n${HAIKU}\n\`\`\`\nHope you like it!`)).toBe(HAIKU);
    expect(cleanPoem(`“${HAIKU}”`)).toBe(HAIKU);
    expect(cleanPoem(`${HAIKU}\n\n---\n\nSyllables: 5-7-5`)).toBe(HAIKU);
    expect(cleanPoem('好的，以下是一首五言绝句：\n\n床前明月光，\n疑是地上霜。\n\n这首诗表达了思乡之情。')).toBe('床前明月光，\n疑是地上霜。');
    expect(cleanPoem('one  \ntwo\n\n\n\nthree\r\nfour')).toBe('one\ntwo\n\nthree\nfour');
    expect(cleanPoem(`"Come in," she said,\n"the rain has stopped."`)).toBe(`"Come in," she said,\n"the rain has stopped."`);
  });
});

describe('poetry: line breaks survive splitting', () => {
  it('a sonnet fits one message whole, and long replies are cut only between stanzas', () => {
    expect(splitMessage(SONNET_116, 2000)).toEqual([SONNET_116]);
    const stanza = (n: number) => Array.from({ length: 4 }, (_, i) => `Stanza ${n} line ${i + 1} goes on and on a while`).join('\n');
    const poem = Array.from({ length: 12 }, (_, i) => stanza(i + 1)).join('\n\n');
    const pieces = splitMessage(poem, 500);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(poem);
    for (const piece of pieces)
      expect(
        piece
          .trim()
          .split('\n\n')
          .every((s) => s.split('\n').length === 4),
      ).toBe(true);
  });
});

describe('poetry: the labelled set', () => {
  it('holds at least 60 poems covering every form, valid and invalid', () => {
    const poems = labelledPoems();
    expect(poems.length).toBeGreaterThanOrEqual(60);
    for (const form of POEM_FORM_VALUES.filter((f) => f !== 'free')) {
      expect(
        poems.some((p) => p.form === form && p.valid),
        `${form} valid`,
      ).toBe(true);
      expect(
        poems.some((p) => p.form === form && !p.valid),
        `${form} invalid`,
      ).toBe(true);
    }
    expect(new Set(poems.map((p) => p.id)).size).toBe(poems.length);
  });

  it('the checker agrees with the labels on at least 95%', async () => {
    const result = await checkerAgreement();
    console.log(`poem_checker_agreement: ${result.agreement.toFixed(3)} (${result.total - result.disagreements.length}/${result.total})`);
    for (const d of result.disagreements) console.log(`  disagrees: ${d.poem.file} ${d.poem.id} (label ${d.poem.valid}): ${render(english, d.check.rubric)}`);
    expect(result.agreement).toBeGreaterThanOrEqual(0.95);
  });
});
