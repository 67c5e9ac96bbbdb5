import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { alice, bob, channel, collect, makeEngine } from '../support/engine.js';

const key = conversationKey(channel);
const dm = { ...channel, channel: 'dm-bob', dm: true };
const member = { speaker: bob, canManage: () => false };

describe('permissions fail closed', () => {
  it('a command that needs a manager is refused in a shared channel when the adapter gave no check; in a DM the speaker manages', async () => {
    const { engine } = await makeEngine();
    const unchecked = await collect(engine.handle({ conversation: channel, speaker: bob, text: '/persona use poet' }));
    expect(unchecked.error).toMatchObject({ code: 'forbidden', message: 'Only people who can manage this channel may use /persona use here.' });
    const plan = await engine.check(engine.plan({ text: '/memory clear' }), { conversation: channel, speaker: bob });
    expect(plan).toMatchObject({ kind: 'refusal', part: { code: 'forbidden' } });
    expect((await collect(engine.handle({ conversation: dm, speaker: bob, text: '/persona use poet' }))).done).toBeTruthy();
  });

  it('asks the platform once per command, only when the command needs the answer', async () => {
    const t = await makeEngine();
    let asked = 0;
    const canManage = () => {
      asked++;
      return true;
    };
    await t.send('/story new a fox', { speaker: bob, canManage });
    await t.send('hello', { speaker: bob, canManage });
    expect(asked).toBe(0);
    // Alice names another persona (the feature asks) and is not the previous story's starter
    // (dropping its versions asks again): one question to the platform.
    expect((await t.send('/story new a fox persona:poet', { speaker: alice, canManage })).done).toBeTruthy();
    expect(asked).toBe(1);
  });

  it('story new with a persona other than the channel’s, or one that does not tell stories, needs a manager', async () => {
    const t = await makeEngine();
    const calls = () => t.backend.calls.length;
    expect((await t.send('/story new a fox persona:storyteller', member)).done).toBeTruthy();
    const before = calls();
    const poet = await t.send('/story new a fox persona:poet', member);
    expect(poet.error).toMatchObject({
      code: 'forbidden',
      message:
        'Only people who can manage this channel may start a story with the persona "poet" here. "poet" does not tell stories; without persona:, the storyteller narrates.',
    });
    expect(calls()).toBe(before);
    await t.send('/persona use copywriter');
    const other = await t.send('/story new a fox persona:storyteller', member);
    expect(other.error?.message).toBe(
      'Only people who can manage this channel may start a story with the persona "storyteller" (this channel\'s is "copywriter") here. Without persona:, the storyteller narrates.',
    );
    expect((await t.store.getMeta(key))?.persona).toBe('copywriter');
    expect((await t.send('/story new a fox persona:poet')).done).toBeTruthy();
    expect((await t.send('/story new a fox persona:poet', { ...member, conversation: dm })).done).toBeTruthy();
  });

  it('tutor start switches the persona and wipes the state: a manager in a shared channel, anyone in a DM', async () => {
    const t = await makeEngine();
    await t.send('/story new a fox');
    const refused = await t.send('/tutor fractions', member);
    expect(refused.error).toMatchObject({
      code: 'forbidden',
      message: 'Only people who can manage this channel may start a tutoring session here. Start one in a direct message with Muse.',
    });
    expect((await t.store.getMeta(key))?.persona).toBe('storyteller');
    expect((await t.send('/tutor fractions', { ...member, conversation: dm })).done).toBeTruthy();
    expect((await t.send('/tutor fractions')).done).toBeTruthy();
    expect((await t.store.getMeta(key))?.persona).toBe('tutor');
  });

  it('lore import needs a manager in a shared channel, checked before the file is read', async () => {
    const { engine } = await makeEngine();
    const plan = await engine.check(engine.plan({ text: '/lore import' }), { conversation: channel, speaker: bob, canManage: () => false });
    expect(plan).toMatchObject({ kind: 'refusal', part: { code: 'forbidden', message: 'Only people who can manage this channel may use /lore import here.' } });
    expect(await engine.check(engine.plan({ text: '/lore import' }), { conversation: dm, speaker: bob })).toMatchObject({ kind: 'command', checked: true });
  });
});
