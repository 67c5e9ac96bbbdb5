import { describe, expect, it } from 'vitest';
import { beatDisplay, parseChoices } from '../../src/features/story/choices.js';

const story = 'The door creaks open.\n\nA cold wind blows out the candle.';

describe('story: parsing the choices at the end of a beat', () => {
  it.each([
    ['1. / 2. / 3.', '1. Light the candle\n2. Step inside\n3. Call out'],
    ['1) / 2)', '1) Light the candle\n2) Step inside\n3) Call out'],
    ['(1) / (2)', '(1) Light the candle\n(2) Step inside\n(3) Call out'],
    ['bold numbers', '**1.** Light the candle\n**2.** Step inside\n**3.** Call out'],
    ['bold items', '**1. Light the candle**\n**2. Step inside**\n**3. Call out**'],
    ['dashes after numbers', '1 - Light the candle\n2 - Step inside\n3 – Call out'],
    ['numbered bullets', '- 1. Light the candle\n- 2. Step inside\n* 3. Call out'],
    ['blank lines between items', '1. Light the candle\n\n2. Step inside\n\n3. Call out'],
    ['full-width digits', '１．Light the candle\n２．Step inside\n３．Call out'],
    ['Chinese numerals', '一、Light the candle\n二、Step inside\n三、Call out'],
  ])('reads %s and strips them', (_name, list) => {
    const parsed = parseChoices(`${story}\n\n${list}\n`);
    expect(parsed.choices).toEqual(['Light the candle', 'Step inside', 'Call out']);
    expect(parsed.narration).toBe(story);
  });

  it('strips a label line that only introduces the list, and keeps a question that is part of the story', () => {
    expect(parseChoices(`${story}\n\nWhat do you do?\n1. Run\n2. Hide`)).toEqual({ narration: story, choices: ['Run', 'Hide'] });
    expect(parseChoices(`${story}\n**Choices:**\n1. Run\n2. Hide`)).toEqual({ narration: story, choices: ['Run', 'Hide'] });
    expect(parseChoices(`${story}\n你们会怎么做？\n1. 逃跑\n2. 躲起来`)).toEqual({ narration: story, choices: ['逃跑', '躲起来'] });
    const question = `${story}\nWill the candle ever burn again?\n1. Run\n2. Hide`;
    expect(parseChoices(question).narration).toBe(`${story}\nWill the candle ever burn again?`);
  });

  it.each([
    ['no list', story],
    ['one choice', `${story}\n1. Run`],
    ['five choices', `${story}\n1. a\n2. b\n3. c\n4. d\n5. e`],
    ['a list in the middle', `${story}\n1. Run\n2. Hide\n\nThe wind howls on.`],
    ['numbers out of order', `${story}\n1. Run\n3. Hide`],
    ['numbers not starting at 1', `${story}\n2. Run\n3. Hide`],
    ['only a list, no narration', '1. Run\n2. Hide'],
    ['an empty item', `${story}\n1. Run\n2.`],
  ])('a beat with %s has no choices and keeps its text', (_name, text) => {
    expect(parseChoices(text)).toEqual({ narration: text, choices: [] });
  });

  it('accepts four choices, and a beat can be shown again with its list', () => {
    const parsed = parseChoices(`${story}\n1. a\n2. b\n3. c\n4. d`);
    expect(parsed.choices).toEqual(['a', 'b', 'c', 'd']);
    expect(beatDisplay(parsed.narration, parsed.choices)).toBe(`${story}\n\n1. a\n2. b\n3. c\n4. d`);
  });
});
