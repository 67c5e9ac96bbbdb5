import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/engine/spec.js';
import { CasRecords, type RecordCas } from '../../src/memory/records.js';
import { makeEngine, withFeatures } from '../support/engine.js';

/** A record backend where someone else always wrote first: every compare-and-set loses. */
const alwaysLosing: RecordCas = {
  read: () => Promise.resolve(JSON.stringify({ value: Math.random() })),
  swap: () => Promise.resolve(false),
};

/** A command whose record change never gets through (CasRecords gives up after two attempts). */
const contested: CommandSpec = {
  name: 'contested',
  description: 'change a record that keeps changing',
  options: [],
  async *run({ session }) {
    await new CasRecords(alwaysLosing, (key) => key, 1000).update<number>('n', (n) => (n ?? 0) + 1, { maxAttempts: 2 });
    yield* session.say('saved');
  },
};

describe('a record change that keeps losing, told in the speaker’s language', () => {
  it('says so in Chinese to a zh-CN speaker and in English to an English one', async () => {
    const t = await makeEngine({ features: withFeatures({ name: 'contested', commands: [contested] }) });
    const chinese = await t.send('/contested', { locale: 'zh-CN' });
    expect(chinese.error).toMatchObject({ code: 'busy', message: '同一时刻有别的操作一直在改动这里，所以什么都没有保存；请再试一次。' });
    const english = await t.send('/contested');
    expect(english.error).toMatchObject({
      code: 'busy',
      message: 'Something else kept changing this at the same moment, so nothing was saved; please try again.',
    });
  });
});
