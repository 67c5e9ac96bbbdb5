import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../src/engine/parts.js';
import type { StoryArchive } from '../../src/features/story/archive.js';
import { alice, bob } from '../support/engine.js';
import { actionsOf, key, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

const file = (parts: ReplyPart[]) => {
  const f = parts.find((p) => p.type === 'file');
  if (f?.type !== 'file') throw new Error('no file');
  return f.file;
};

describe('story: retry keeps alternatives, versions, undo', () => {
  it('retry adds a version, ‹ n/m › flips in place, and the version shown when the story moves on is canon', async () => {
    t = await storyEngine();
    t.backend.push('Opening.', 'Beat A.', 'Beat B.\n\n1. Run\n2. Hide', 'Beat C.');
    await t.send('/story new a brave fox');
    await t.as(bob, 'I follow the fox');
    await t.as(alice, '/story retry');
    const third = await t.as(alice, '/story retry');
    expect(third.text).toBe('Beat C.');
    const version = (n: number) => ({ command: 'story', sub: 'version', options: { n, beat: 3 } });
    expect(
      actionsOf(third)
        .filter((a) => a.row === 1)
        .map((a) => [a.label, a.run]),
    ).toEqual([
      ['‹', version(2)],
      ['3/3', version(3)],
      ['›', version(1)],
    ]);
    expect(t.userMessages().at(-1)).toBe('Bob: I follow the fox');

    const flipped = await t.as(bob, '/story version n:2');
    expect(flipped.parts[0]).toEqual({ type: 'replace' });
    expect(flipped.text).toBe('Beat B.\n\n1. Run\n2. Hide');
    expect(actionsOf(flipped).map((a) => a.label)).toEqual(['1. Run', '2. Hide', '‹', '2/3', '›', 'Continue', 'Retry', 'Undo']);
    expect((await t.turns()).at(-1)!.text).toBe('Beat B.');
    const state = await t.state();
    expect(state.beat).toMatchObject({ shown: 1, versions: [{ text: 'Beat A.' }, { text: 'Beat B.', choices: ['Run', 'Hide'] }, { text: 'Beat C.' }] });
    expect(state.poll?.choices).toEqual(['Run', 'Hide']);

    expect((await t.as(alice, '/story version n:1 beat:1')).error?.message).toBe(
      "Those buttons belong to an earlier beat; only the last beat's versions can be flipped.",
    );
    await t.as(alice, '/story version 1');
    expect((await t.as(alice, '/story version 4')).error?.message).toBe('The last beat has 3 versions; pick one from 1 to 3.');
    t.backend.push('Beat two.');
    await t.as(bob, 'I wave');
    const turns = await t.turns();
    expect(turns.map((x) => x.text)).toEqual(['Begin a new story. Premise: a brave fox', 'Opening.', 'I follow the fox', 'Beat A.', 'I wave', 'Beat two.']);
    expect(t.backend.lastCall!.messages.map((m) => m.content)).toContain('Beat A.');
    const meta = (await t.store.getMeta(key))!;
    const archive = await t.store.getRecord<StoryArchive>(`story:${key}:${(await t.state()).id}:versions`);
    expect(archive!.beats).toEqual([{ index: 3, versions: ['Beat A.', 'Beat B.', 'Beat C.'], canon: 0, at: expect.any(Number) }]);
    expect(meta.count).toBe(6);
    expect((await t.as(alice, '/story version 2')).error?.message).toBe('The last beat has only one version; /story retry writes another.');

    const versions = await t.send('/story versions');
    const md = file(versions.parts);
    expect(md.name).toBe('a-brave-fox-versions.md');
    expect(md.content).toContain('## Beat 2 (version 1 is canon)');
    for (const text of ['Beat A.', 'Beat B.', 'Beat C.']) expect(md.content).toContain(text);
  });

  it('undo removes the beat and its action, keeps its versions, and cancels its vote', async () => {
    t = await storyEngine();
    t.backend.push('Opening.', 'Beat A.\n\n1. Run\n2. Hide', 'Beat B.');
    await t.send('/story new a brave fox');
    await t.as(bob, 'I follow the fox');
    await t.send('/story retry');
    await t.send('/story version 1');
    expect((await t.state()).poll).toBeTruthy();
    const undo = await t.send('/story undo');
    expect(undo.text).toMatch(/The last beat was removed/);
    expect((await t.turns()).map((x) => x.text)).toEqual(['Begin a new story. Premise: a brave fox', 'Opening.']);
    const state = await t.state();
    expect(state.poll).toBeUndefined();
    expect(state.beat).toBeUndefined();
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);
    const md = file((await t.send('/story versions')).parts).content;
    expect(md).toContain('## Beat 2 (undone)');
    expect(md).toContain('> I follow the fox');
    expect(md).toContain('Beat A.');
    expect(md).toContain('Beat B.');
    // Retry still works on the beat before, and a new story drops the kept versions.
    t.backend.push('Opening, again.');
    expect((await t.send('/story retry')).text).toBe('Opening, again.');
    expect((await t.state()).beat?.versions.map((v) => v.text)).toEqual(['Opening.', 'Opening, again.']);
    const before = await t.state();
    await t.send('/story new a new tale');
    expect(await t.store.getRecord(`story:${key}:${before.id}:versions`)).toBeUndefined();
  });
});
