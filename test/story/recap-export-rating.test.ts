import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/engine/conversation.js';
import { RECAP_INSTRUCTION } from '../../src/features/story/recap.js';
import { alice, bob, channel } from '../support/engine.js';
import { BEAT, carol, choiceButton, key, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

const system = () => t.backend.lastCall!.messages[0]!.content;

describe('story: recap, export and rating', () => {
  it('recap summarises the story for someone joining without changing it', async () => {
    t = await storyEngine();
    t.backend.push(BEAT, 'A fox and two friends stand at a fork in the forest path.');
    await t.send('/story new a brave fox');
    const before = await t.store.getMeta(key);
    const recap = await t.as(carol, '/story recap');
    expect(recap.text).toBe(
      'The story so far: A fox and two friends stand at a fork in the forest path.\n\nOpen vote (closes in 60 s):\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall',
    );
    expect(system()).toContain(RECAP_INSTRUCTION);
    expect(t.backend.lastCall!.messages.map((m) => m.content)).toContain('The fox stops where the path forks.');
    expect(await t.store.getMeta(key)).toEqual(before);
    expect((await t.state()).players.map((p) => p.name)).toEqual(['Alice']);
  });

  it('export writes the canon story: title, players, beats and the votes and rounds between them', async () => {
    t = await storyEngine();
    t.backend.push(BEAT, 'The right path climbs.', 'Bob and Carol camp.');
    const opening = await t.send('/story new a brave fox');
    await t.as(bob, '/story join');
    await t.as(bob, choiceButton(opening, 2));
    await t.tick(60_000);
    await t.as(bob, 'I pitch a tent');
    const reply = await t.send('/story export');
    const f = reply.parts.find((p) => p.type === 'file');
    if (f?.type !== 'file') throw new Error('no file');
    const md = f.file.content;
    expect(md).toContain('# a brave fox');
    expect(md).toContain('Players: Alice, Bob');
    expect(md).toContain(
      '## 1\n\nThe fox stops where the path forks.\n\n> *Vote: "Take the right path" won (Bob → 2).*\n\n## 2\n\nThe right path climbs.\n\n> **Bob:** I pitch a tent\n\n## 3\n\nBob and Carol camp.',
    );
    expect(md).not.toContain('1. Take the left path');
    expect(reply.text).toBe(`Here is the story so far (3 beats) as ${f.file.name}.`);
  });

  it("export shows a round as each player's action", async () => {
    t = await storyEngine();
    await t.send('/story new a siege rounds:on vote:10');
    await t.as(alice, 'I raise the banner');
    await t.as(carol, 'I open the gate');
    await t.tick(10_000);
    const f = (await t.send('/story export')).parts.find((p) => p.type === 'file');
    if (f?.type !== 'file') throw new Error('no file');
    expect(f.file.content).toContain('Players: Alice, Carol');
    expect(f.file.content).toContain('> **Alice:** I raise the banner\n>\n> **Carol:** I open the gate\n\n## 2');
  });

  it('mature stories only where the channel allows it; all-ages otherwise', async () => {
    t = await storyEngine();
    const refused = await t.send('/story new a dark tale rating:mature');
    expect(refused.error).toMatchObject({
      code: 'forbidden',
      message: 'A mature story needs a channel marked age-restricted (or a DM); here stories stay suitable for all ages.',
    });
    expect(t.backend.calls).toHaveLength(0);

    await t.send('/story new a bright tale');
    expect(system()).toMatch(/this channel is not age-restricted, so keep the story suitable for all ages/);

    const dm: ConversationRef = { ...channel, channel: 'dm', dm: true };
    await t.send('/story new a quiet tale', { conversation: dm });
    expect(system()).toMatch(/suitable for all ages/);
    await t.send('/story new a dark tale rating:mature', { conversation: dm });
    expect(system()).not.toMatch(/suitable for all ages/);

    const nsfw: ConversationRef = { ...channel, channel: 'nsfw', ageRestricted: true };
    await t.send('/story new a dark tale', { conversation: nsfw });
    expect(system()).not.toMatch(/suitable for all ages/);
    await t.send('/story new a gentle tale rating:all-ages', { conversation: nsfw });
    expect(system()).toMatch(/this story is rated all-ages, so keep the story suitable for all ages/);
  });
});
