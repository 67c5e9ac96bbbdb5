import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { learnerKey, type LearnerRecord } from '../../src/features/tutor/learner.js';
import { alice, makeEngine } from '../support/engine.js';
import { dm, lastSystem } from './support.js';

describe('tutor: language and level are remembered', () => {
  it("a later session uses the remembered level for the subject and the learner's language", async () => {
    const t = await makeEngine();
    await t.send('/tutor fractions level:advanced', { conversation: dm });
    expect(lastSystem(t)).toMatch(/Reply in the language of the learner's latest message\./);
    await t.send('我不知道怎么把两个分数加起来', { conversation: dm });
    expect(lastSystem(t)).toMatch(/Reply in Chinese \(中文\)/);
    const record = (await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!;
    expect(record.language).toBe('zh');
    expect(record.subjects.fractions).toMatchObject({ level: 'advanced', sessions: 1 });

    // A new conversation in the same workspace (another DM thread), no level given.
    const later = { ...dm, channel: 'dm-alice-2' };
    await t.send('/tutor fractions', { conversation: later });
    expect(lastSystem(t)).toMatch(/The learner's level: advanced\./);
    expect(lastSystem(t)).toMatch(/remembered from the learner's earlier sessions/);
    expect(lastSystem(t)).toMatch(/Reply in Chinese \(中文\)/);
    expect((await t.store.getMeta(conversationKey(later)))!.settings.tutor).toMatchObject({ subject: 'fractions', level: 'advanced', language: 'zh' });

    // Another subject has no remembered level; a level given now wins and is remembered.
    await t.send('/tutor algebra', { conversation: later });
    expect(lastSystem(t)).not.toMatch(/The learner's level/);
    await t.send('/tutor fractions level:beginner', { conversation: later });
    expect(lastSystem(t)).toMatch(/The learner's level: beginner\./);
    expect((await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!.subjects.fractions).toMatchObject({ level: 'beginner', sessions: 3 });
  });

  it('writing in English again switches the remembered language', async () => {
    const t = await makeEngine();
    await t.send('/tutor 分数', { conversation: dm });
    expect(lastSystem(t)).toMatch(/Reply in Chinese/);
    await t.send('Sorry, can I do this in English? I think the answer is 3/4', { conversation: dm });
    expect(lastSystem(t)).toMatch(/Reply in English/);
    expect((await t.store.getRecord<LearnerRecord>(learnerKey(dm, alice.id)))!.language).toBe('en');
  });
});
