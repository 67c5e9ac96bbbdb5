import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { FakeBackend } from '../../src/model/fake.js';
import { ModelError } from '../../src/model/types.js';
import { tutorState } from '../../src/features/tutor/state.js';
import { makeEngine } from '../support/engine.js';
import { dm, lastSystem } from './support.js';

const FORBIDS = /Do NOT give (?:the answer|the final answer|answers)/;
const ALLOWS = /full worked answer allowed/;

async function lesson(subject = 'fractions level:beginner') {
  const t = await makeEngine({ backend: new FakeBackend({ fallback: 'What do you think?' }) });
  const send = (text: string) => t.send(text, { conversation: dm });
  await send(`/tutor ${subject}`);
  const state = async () => tutorState((await t.store.getMeta(conversationKey(dm)))!);
  return { t, send, state };
}

describe('tutor: hints before answers', () => {
  it('asks what they know, hints after one attempt, allows the worked answer after two', async () => {
    const { t, send, state } = await lesson();
    expect(lastSystem(t)).toMatch(/ask what they already know about this session's subject \(in the data\)/);
    expect(lastSystem(t)).toMatch(FORBIDS);

    await send('Can you help me add 1/2 and 1/4?');
    expect(lastSystem(t)).toMatch(/rung 1 of 5 \(ask what they know\)/);
    expect(lastSystem(t)).toMatch(FORBIDS);
    expect(lastSystem(t)).not.toMatch(ALLOWS);

    await send('I think it is 2/6');
    expect(lastSystem(t)).toMatch(/rung 2 of 5 \(hint 1\)\. Attempts on this problem so far: 1\./);
    expect(lastSystem(t)).toMatch(FORBIDS);
    expect((await state()).problem).toEqual({ steps: 2, attempts: 1, rung: 1 });

    await send('2/4?');
    expect(lastSystem(t)).toMatch(/rung 5 of 5 \(full worked answer allowed\)\. The learner has made 2 attempts\./);
    expect(lastSystem(t)).not.toMatch(FORBIDS);

    // After the answer was allowed, the next message starts a new problem, low on the ladder.
    await send('What about 1/3 + 1/6?');
    expect(lastSystem(t)).toMatch(/rung 1 of 5/);
    expect((await state()).problem).toEqual({ steps: 1, attempts: 0, rung: 0 });
  });

  it('being stuck climbs to a worked step but never to the answer', async () => {
    const { t, send } = await lesson();
    const rungs: string[] = [];
    for (const text of ['How do I add 1/2 and 1/4?', "I don't know", 'no idea', 'still stuck', 'hint?']) {
      await send(text);
      rungs.push(/rung (\d) of 5/.exec(lastSystem(t))![1]!);
      expect(lastSystem(t)).toMatch(FORBIDS);
    }
    expect(rungs).toEqual(['1', '2', '3', '4', '4']);
  });

  for (const request of ['just tell me the answer', 'Show me the solution.', 'I give up', '告诉我答案', '直接给答案吧']) {
    it(`an explicit request allows the answer at once: "${request}"`, async () => {
      const { t, send } = await lesson();
      await send('How do I solve 2x + 3 = 7?');
      expect(lastSystem(t)).toMatch(FORBIDS);
      await send(request);
      expect(lastSystem(t)).toMatch(/full worked answer allowed\)\. The learner asked for the answer explicitly\./);
    });
  }

  it('a negated request is not one', async () => {
    const { t, send } = await lesson();
    await send('How do I solve 2x + 3 = 7?');
    await send("don't tell me the answer, just a hint");
    expect(lastSystem(t)).not.toMatch(ALLOWS);
  });

  it('a reply marked ✅ closes the problem: one attempt on the next problem does not allow the answer', async () => {
    const { t, send } = await lesson();
    t.backend.push('Try it.', '✅ Correct! Now: what is 1/3 + 1/3?');
    await send('what is 1/2 + 1/4?');
    await send('I think 3/4');
    await send('2/3');
    expect(lastSystem(t)).toMatch(/rung 2 of 5 \(hint 1\)\. Attempts on this problem so far: 1\./);
  });

  it('a failed reply changes nothing: the ladder state is committed with the reply', async () => {
    const { t, send, state } = await lesson();
    await send('what is 1/2 + 1/4?');
    const before = await state();
    t.backend.push(new ModelError('timeout', 'The model took too long to answer; please try again.'));
    const failed = await send('I think it is 2/6');
    expect(failed.error?.code).toBe('model');
    expect(await state()).toEqual(before);
    await send('I think it is 2/6');
    expect((await state()).problem).toMatchObject({ attempts: 1 });
  });

  it('has no ladder outside tutor mode', async () => {
    const t = await makeEngine();
    await t.send('I think it is 2/6', { conversation: dm });
    expect(lastSystem(t)).not.toMatch(/hint ladder: rung/);
  });
});
