import { describe, expect, it } from 'vitest';
import { ANSWER_RUNG, asksForAnswer, classify, climb, ladderInstruction, type MessageKind } from '../../src/features/tutor/ladder.js';
import type { ProblemState } from '../../src/features/tutor/state.js';

describe('tutor: the hint ladder', () => {
  it('detects an explicit request for the answer in English and Chinese, and not when negated', () => {
    const yes = [
      'just tell me the answer',
      'Just tell me!',
      'Can you show me the solution?',
      'show me the full worked answer please',
      'ok what’s the answer',
      'What is the correct answer?',
      'I give up',
      "I'm giving up",
      'give me the answer already',
      'I want the solution',
      'I don’t know, just tell me the answer',
      '告诉我答案',
      '直接给答案吧',
      '答案是什么？',
      '我放弃了',
      '直接告诉我',
      '給我答案',
      '请给出完整的解答',
    ];
    const no = [
      "don't tell me the answer, give me a hint",
      'please do not just give me the solution',
      'just give me a hint',
      'give me a hint',
      'I think the answer is 3/4',
      '答案是3/4',
      '别告诉我答案，给个提示',
      '我不会放弃',
      '不知道',
      'what is a denominator?',
    ];
    for (const text of yes) expect([text, asksForAnswer(text)]).toEqual([text, true]);
    for (const text of no) expect([text, asksForAnswer(text)]).toEqual([text, false]);
  });

  it('classifies what counts as an attempt', () => {
    const cases: Array<[string, boolean, MessageKind]> = [
      ['Can you help me add 1/2 and 1/4?', false, 'question'],
      ['what is 1/2 + 1/4?', false, 'question'],
      ['3/4?', false, 'attempt'],
      ['I think it is 2/6', false, 'attempt'],
      ['是3/4吗？', false, 'attempt'],
      ['1/2 + 1/4 = 3/4', false, 'attempt'],
      ['ok', true, 'ack'],
      ['谢谢', true, 'ack'],
      ["I don't know", true, 'stuck'],
      ['不知道', true, 'stuck'],
      ['hint please', true, 'stuck'],
      ['next question please', true, 'new'],
      ['下一题', true, 'new'],
      ['you add the tops', true, 'attempt'],
      ['you add the tops', false, 'other'],
      ['just tell me the answer', true, 'request'],
    ];
    for (const [text, underWay, kind] of cases) expect([text, classify(text, underWay)]).toEqual([text, kind]);
  });

  it('climbs one rung a message; two attempts or an explicit request allow the answer', () => {
    const walk = (kinds: MessageKind[]) => {
      let p: ProblemState | undefined;
      return kinds.map((k) => (p = climb(p, k)).rung);
    };
    expect(walk(['question', 'attempt', 'attempt'])).toEqual([0, 1, ANSWER_RUNG]);
    expect(walk(['stuck', 'stuck', 'stuck', 'stuck', 'stuck'])).toEqual([0, 1, 2, 3, 3]);
    expect(walk(['attempt', 'stuck', 'stuck'])).toEqual([1, 2, 3]);
    expect(walk(['question', 'ack', 'request'])).toEqual([0, 0, ANSWER_RUNG]);
    expect(climb(undefined, 'request').revealed).toBe(true);
  });

  it('says which rung to use and forbids the answer below the top', () => {
    const low = ladderInstruction(1, { steps: 2, attempts: 1, rung: 1 }, false);
    expect(low).toMatch(/rung 2 of 5 \(hint 1\)/);
    expect(low).toMatch(/Do NOT give the answer/);
    const top = ladderInstruction(4, { steps: 2, attempts: 0, rung: 4 }, true);
    expect(top).toMatch(/full worked answer allowed\)\. The learner asked for the answer explicitly\./);
    expect(top).not.toMatch(/Do NOT/);
  });
});
