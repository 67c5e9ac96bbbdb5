import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { FakeBackend } from '../../src/model/fake.js';
import { ModelError } from '../../src/model/types.js';
import { learnerKey, type LearnerRecord } from '../../src/features/tutor/learner.js';
import { tutorState } from '../../src/features/tutor/state.js';
import { alice, bob, channel, makeEngine } from '../support/engine.js';
import { dm, lastSystem, quizModel } from './support.js';

async function setup(model = quizModel()) {
  const t = await makeEngine({ backend: new FakeBackend({ fallback: model }) });
  const send = (text: string) => t.send(text, { conversation: dm });
  const state = async () => tutorState((await t.store.getMeta(conversationKey(dm)))!);
  const record = () => t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id));
  return { t, send, state, record };
}

describe('tutor quiz', () => {
  it('generates questions, asks them one at a time, grades the answers and stores the result', async () => {
    const { t, send, state, record } = await setup();
    await send('/tutor fractions level:beginner');
    const first = await send('/tutor quiz');
    expect(lastSystem(t)).toMatch(/Write exactly 3 quiz questions on this session's subject \(in the data\) for a learner at the beginner level/);
    expect(lastSystem(t)).not.toContain('fractions');
    expect(first.text).toMatch(/^Quiz on fractions \(beginner\), 3 questions\./);
    expect(first.text).toContain('Question 1 of 3 (adding fractions): What is 1/2 + 1/4?');
    expect(first.text).not.toContain('Question 2');
    expect((await state()).quiz?.questions).toHaveLength(3);

    const calls = t.backend.calls.length;
    const second = await send('3/4');
    expect(second.text).toBe('Question 2 of 3 (simplifying): Simplify 4/8.');
    expect(t.backend.calls.length).toBe(calls); // no model call between questions
    expect((await send('1/2')).text).toBe('Question 3 of 3 (comparing fractions): Which is larger, 2/3 or 3/5?');

    const result = await send('3/5');
    const grading = t.backend.lastCall!;
    expect(grading.messages[0]!.content).toMatch(/2 = correct and complete; 1 = partly correct/);
    expect(grading.messages.at(-1)!.content).toContain('3. Question: Which is larger, 2/3 or 3/5?\n   My answer: 3/5');
    expect(result.text).toMatch(/^Quiz result, fractions: 4\/6 \(67%\)/);
    expect(result.text).toContain('0/2 ✗: Compare with a common denominator: 10/15 > 9/15.');
    expect((await state()).quiz).toBeUndefined();

    const stored = (await record())!.quizzes;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ subject: 'fractions', level: 'beginner', score: 4, max: 6 });
    expect(stored[0]!.items.map((i) => [i.answer, i.score])).toEqual([
      ['3/4', 2],
      ['1/2', 2],
      ['3/5', 0],
    ]);

    // The quiz is over: a plain message is a lesson turn again.
    await send('why is 2/3 larger?');
    expect(lastSystem(t)).toMatch(/hint ladder: rung/);
  });

  it('asks for the number of questions given', async () => {
    const { send } = await setup();
    await send('/tutor fractions');
    expect((await send('/tutor quiz questions:2')).text).toMatch(/2 questions\.[\s\S]*Question 1 of 2/);
  });

  it('grades that cannot be read get an honest "could not grade", after one repair try', async () => {
    const { t, send, record } = await setup(quizModel('They all look great to me!'));
    await send('/tutor fractions');
    await send('/tutor quiz');
    for (const a of ['3/4', '1/2']) await send(a);
    const before = t.backend.calls.length;
    const result = await send('2/3');
    expect(t.backend.calls.length - before).toBe(2);
    expect(t.backend.lastCall!.messages.at(-1)!.content).toMatch(/^That could not be read\./);
    expect(result.text).toMatch(/^Quiz result, fractions: could not grade/);
    expect(result.text).not.toMatch(/\d\/2 [✓~✗]/);
    const quiz = (await record())!.quizzes[0]!;
    expect(quiz.score).toBeUndefined();
    expect(quiz.items.every((i) => i.score === undefined)).toBe(true);
  });

  it('a partly readable grade scores only what it could read', async () => {
    const { send } = await setup(quizModel('[{"score": 2, "feedback": "good"}, {"score": "lots"}, {"score": 1, "feedback": "half"}]'));
    await send('/tutor fractions');
    await send('/tutor quiz');
    for (const a of ['3/4', '1/2']) await send(a);
    const result = await send('2/3');
    expect(result.text).toMatch(/^Quiz result, fractions: 3\/4 \(75%\) \(2 of 3 questions graded\)/);
    expect(result.text).toContain('2. Simplify 4/8.\n   Your answer: 1/2\n   could not grade');
  });

  it('questions in a numbered list are read when there is no JSON; no questions at all starts nothing', async () => {
    const listed = await setup(quizModel(undefined, 'Sure!\n1. What is 1/2 + 1/4?\n2. Simplify 4/8.\n3. Which is larger, 2/3 or 3/5?'));
    await listed.send('/tutor fractions');
    expect((await listed.send('/tutor quiz')).text).toContain('Question 1 of 3: What is 1/2 + 1/4?');

    const none = await setup(quizModel(undefined, 'I would rather not.'));
    await none.send('/tutor fractions');
    const reply = await none.send('/tutor quiz');
    expect(reply.error).toMatchObject({
      code: 'model',
      message: 'The model did not write quiz questions Muse could read, so no quiz was started; please try /tutor quiz again.',
    });
    expect((await none.state()).quiz).toBeUndefined();
  });

  it('a failed grading keeps the quiz: the last answer can be sent again', async () => {
    const { t, send, state } = await setup();
    await send('/tutor fractions');
    await send('/tutor quiz');
    for (const a of ['3/4', '1/2']) await send(a);
    t.backend.push(new ModelError('timeout', 'The model took too long to answer; please try again.'));
    expect((await send('3/5')).error?.code).toBe('model');
    expect((await state()).quiz?.answers).toEqual(['3/4', '1/2']);
    expect((await send('3/5')).text).toMatch(/^Quiz result/);
  });

  it('without a session, /tutor quiz says how to start one', async () => {
    const { send } = await setup();
    expect((await send('/tutor quiz')).error?.message).toBe(
      'There is no tutoring session here, so there is nothing to quiz you on. Start one with /tutor <subject> (for example /tutor fractions).',
    );
  });

  it('/tutor quiz stop ends the quiz unscored', async () => {
    const { t, send, state, record } = await setup();
    await send('/tutor fractions');
    await send('/tutor quiz');
    await send('3/4');
    expect((await send('/tutor quiz')).text).toMatch(/^A quiz is already running\. Question 2 of 3/);
    expect((await send('/tutor quiz stop')).text).toBe('Quiz stopped after 1 of 3 answers; it was not scored.');
    expect((await state()).quiz).toBeUndefined();
    expect((await record())?.quizzes ?? []).toEqual([]);
    await send('1/2');
    expect(lastSystem(t)).toMatch(/hint ladder: rung/);
    expect((await t.send('/tutor quiz stop', { conversation: channel })).text).toBe('There is no quiz running here. Start one with /tutor quiz.');
  });

  it('in a shared channel, only the learner who started the quiz answers it, and the score goes to their record', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    const as = (speaker: typeof alice, text: string, manages = false) => t.send(text, { conversation: channel, speaker, canManage: () => manages });
    const recordOf = (who: typeof alice) => t.store.getRecord<LearnerRecord>(learnerKey(channel, who.id));
    await as(alice, '/tutor fractions', true);
    await as(alice, '/tutor quiz');
    await as(alice, '3/4');
    await as(alice, '1/2');
    const calls = t.backend.calls.length;
    const cut = await as(bob, '2/3');
    expect(cut.parts[0]).toMatchObject({
      type: 'message',
      ephemeral: true,
      text: "This quiz is Alice's: only Alice's messages answer it. Wait for it to end, or Alice can stop it with /tutor quiz stop.",
    });
    expect(t.backend.calls.length).toBe(calls);
    expect((await as(bob, '/tutor quiz stop')).error).toMatchObject({
      code: 'forbidden',
      message: "Only people who can manage this channel may stop Alice's quiz here.",
    });
    expect((await as(alice, '3/5')).text).toMatch(/^Quiz result, fractions: 4\/6/);
    expect((await recordOf(alice))?.quizzes.map((q) => q.items.map((i) => i.answer))).toEqual([['3/4', '1/2', '3/5']]);
    expect(await recordOf(bob)).toBeUndefined();
  });
});
