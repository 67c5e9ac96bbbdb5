import type { ConversationRef } from '../../src/engine/conversation.js';
import type { ModelRequest } from '../../src/model/types.js';
import { channel, type TestEngine } from '../support/engine.js';

/** Alice's DM with Muse, in the same workspace as the test channel. */
export const dm: ConversationRef = { ...channel, channel: 'dm-alice', dm: true };

/** The system text of a model request (persona prompt plus the per-turn instruction). */
export const systemOf = (req: ModelRequest): string => req.messages[0]!.content;

/** The system text of the last model call. */
export const lastSystem = (t: TestEngine): string => systemOf(t.backend.lastCall!);

export const QUESTIONS_JSON =
  'Here you go:\n```json\n{"questions": [\n {"question": "What is 1/2 + 1/4?", "topic": "adding fractions",},\n {"question": "Simplify 4/8.", "topic": "simplifying"},\n {"question": "Which is larger, 2/3 or 3/5?", "topic": "comparing fractions"},\n]}\n```';

export const GRADES_JSON =
  'Grades below.\n{"grades":[{"question":1,"score":2,"feedback":"Right: 2/4 + 1/4 = 3/4."},{"question":2,"score":2,"feedback":"Yes, 1/2."},{"question":3,"score":0,"feedback":"Compare with a common denominator: 10/15 > 9/15."},]}';

/**
 * A model that writes quiz questions when asked for them, grades when asked to grade, and
 * otherwise answers like a tutor.
 */
export function quizModel(grades: string | (() => string) = GRADES_JSON, questions = QUESTIONS_JSON) {
  return (req: ModelRequest): string => {
    const system = systemOf(req);
    if (system.includes('quiz questions')) return questions;
    if (system.includes("Grade the learner's quiz answers")) return typeof grades === 'function' ? grades() : grades;
    if (system.includes('the session on')) return '- You learned to add fractions with a common denominator.\nNext time: comparing fractions.';
    return 'What do you already know?';
  };
}
