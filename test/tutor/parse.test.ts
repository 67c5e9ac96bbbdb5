import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/features/tutor/language.js';
import { extractJson, parseGrades, parseQuestions } from '../../src/features/tutor/parse.js';

describe('tutor: reading structured model output', () => {
  const questions = [
    ['clean JSON', '{"questions":[{"question":"What is 1/2 + 1/4?","topic":"adding fractions"},{"question":"Simplify 2/4.","topic":"simplifying"}]}'],
    [
      'fenced, with prose around it',
      'Sure! Here is your quiz:\n```json\n{"questions": [{"question": "What is 1/2 + 1/4?", "topic": "adding fractions"}, {"question": "Simplify 2/4.", "topic": "simplifying"}]}\n```\nGood luck!',
    ],
    [
      'trailing commas and unquoted keys',
      'Quiz: {questions: [{question: "What is 1/2 + 1/4?", topic: "adding fractions",}, {question: "Simplify 2/4.", topic: "simplifying",},],}',
    ],
    ['smart quotes, bare array', '[{“question”: “What is 1/2 + 1/4?”, “topic”: “adding fractions”}, {“question”: “Simplify 2/4.”, “topic”: “simplifying”}]'],
  ] as const;
  for (const [name, text] of questions) {
    it(`reads quiz questions: ${name}`, () => {
      expect(parseQuestions(text, 3)).toEqual([
        { question: 'What is 1/2 + 1/4?', topic: 'adding fractions' },
        { question: 'Simplify 2/4.', topic: 'simplifying' },
      ]);
    });
  }

  it('falls back to a numbered list, and caps the count', () => {
    const text = 'Here are three questions:\n1. What is 1/2 + 1/4?\n2) Simplify 2/4.\n**3.** Which is larger, 2/3 or 3/5?\nQ4: extra';
    expect(parseQuestions(text, 3).map((q) => q.question)).toEqual(['What is 1/2 + 1/4?', 'Simplify 2/4.', 'Which is larger, 2/3 or 3/5?']);
    expect(parseQuestions('I cannot write a quiz about that.', 3)).toEqual([]);
  });

  it('reads grades from JSON variants, by question number or by position', () => {
    expect(
      parseGrades('```\n{"grades":[{"question":2,"score":0,"feedback":"Find a common denominator."},{"question":1,"score":2,"feedback":"Right."},]}\n```', 2),
    ).toEqual([
      { score: 2, max: 2, feedback: 'Right.' },
      { score: 0, max: 2, feedback: 'Find a common denominator.' },
    ]);
    expect(parseGrades('Results: [{"score": "1/2", "comment": "Close"}, {"points": 1, "max": 1, "feedback": "ok"}]', 2)).toEqual([
      { score: 1, max: 2, feedback: 'Close' },
      { score: 1, max: 1, feedback: 'ok' },
    ]);
  });

  it('never makes a score up: out of range, missing or unreadable grades stay ungraded', () => {
    expect(parseGrades('{"grades":[{"score":7,"feedback":"??"},{"feedback":"no score"}]}', 3)).toEqual([{ max: 2 }, { max: 2 }, { max: 2 }]);
    expect(parseGrades('They all look pretty good to me!', 2)).toEqual([{ max: 2 }, { max: 2 }]);
    expect(parseGrades('1. 2/2 - correct\nQ2: 1 / 2 — check the sign\n3. good job', 3)).toEqual([
      { score: 2, max: 2, feedback: 'correct' },
      { score: 1, max: 2, feedback: 'check the sign' },
      { max: 2 },
    ]);
  });

  it('extracts nothing from text without JSON', () => {
    expect(extractJson('no json here')).toBeUndefined();
  });

  it('tells the learner language simply', () => {
    expect(detectLanguage('我想学习分数')).toBe('zh');
    expect(detectLanguage('我想学 fractions')).toBe('zh');
    expect(detectLanguage('Explain 分数 to me please, I do not get it')).toBe('en');
    expect(detectLanguage('I think the answer is 3/4')).toBe('en');
    expect(detectLanguage('creo que la respuesta es tres cuartos')).toBe('es');
    expect(detectLanguage('分数の足し算を教えて')).toBe('ja');
    expect(detectLanguage('3/4')).toBeUndefined();
    expect(detectLanguage('ok')).toBeUndefined();
  });
});
