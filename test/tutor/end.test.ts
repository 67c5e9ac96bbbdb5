import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { FakeBackend } from '../../src/model/fake.js';
import { learnerKey, type LearnerRecord } from '../../src/features/tutor/learner.js';
import { alice, makeEngine } from '../support/engine.js';
import { dm, lastSystem, quizModel } from './support.js';

describe('tutor end', () => {
  it('summarises the session, saves the summary to the learner and clears the session (the persona stays tutor)', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    const send = (text: string) => t.send(text, { conversation: dm });
    await send('/tutor fractions');
    await send('how do I add 1/2 and 1/4?');
    const end = await send('/tutor end');
    expect(lastSystem(t)).toMatch(/the session on this session's subject \(in the data\) ends\. Summarise what the learner learned/);
    expect(end.text).toBe('- You learned to add fractions with a common denominator.\nNext time: comparing fractions.');
    expect(end.parts.find((p) => p.type === 'notice')).toEqual({ type: 'notice', text: '(Session ended; the summary is saved to /tutor progress.)' });

    const meta = (await t.store.getMeta(conversationKey(dm)))!;
    expect(meta.persona).toBe('tutor');
    expect(meta.settings.tutor).toBeUndefined();
    const record = (await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!;
    expect(record.summaries).toEqual([{ subject: 'fractions', at: expect.any(Number), text: end.text }]);
    expect((await send('/tutor progress')).text).toContain('Last session (fractions, ');
    expect((await send('/tutor end')).error?.message).toMatch(/^There is no tutoring session here, so there is nothing to end\./);
  });

  it('stops a running quiz without a score', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    const send = (text: string) => t.send(text, { conversation: dm });
    await send('/tutor fractions');
    await send('/tutor quiz');
    await send('3/4');
    const end = await send('/tutor end');
    expect(end.parts.find((p) => p.type === 'notice')).toEqual({
      type: 'notice',
      text: '(The quiz in progress was stopped after 1 of 3 answers and not scored.)',
    });
    expect((await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!.quizzes).toEqual([]);
  });

  it('a failed summary ends nothing', async () => {
    const { ModelError } = await import('../../src/model/types.js');
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    await t.send('/tutor fractions', { conversation: dm });
    t.backend.push(new ModelError('timeout', 'The model took too long to answer; please try again.'));
    expect((await t.send('/tutor end', { conversation: dm })).error?.code).toBe('model');
    expect((await t.store.getMeta(conversationKey(dm)))!.settings.tutor).toMatchObject({ subject: 'fractions' });
    expect((await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!.summaries).toEqual([]);
  });
});
