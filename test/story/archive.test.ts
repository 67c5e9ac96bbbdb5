import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyPart } from '../../src/engine/parts.js';
import { MAX_ARCHIVED_STORIES } from '../../src/features/story/archive.js';
import { alice, bob } from '../support/engine.js';
import { carol, key, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

const member = { canManage: () => false };
const archiveOf = (id: string) => t.store.getRecord(`story:${key}:${id}:versions`);
const fileText = (parts: ReplyPart[]) => {
  const f = parts.find((p) => p.type === 'file');
  return f?.type === 'file' ? f.file.content : '';
};

/** A story by `starter` with one undone beat (so it has an archive); returns its id. */
async function storyWithArchive(starter = alice, premise = 'a brave fox'): Promise<string> {
  t.backend.push('Opening.', `A beat of ${premise}.`);
  await t.as(starter, `/story new ${premise}`, member);
  await t.as(starter, 'I follow the path', member);
  await t.as(starter, '/story undo', member);
  const id = (await t.state()).id;
  expect(await archiveOf(id)).toBeTruthy();
  return id;
}

describe("story new and the previous story's versions", () => {
  it('a new story by someone else than the starter keeps them (listed by /story versions); the starter drops them', async () => {
    t = await storyEngine();
    const first = await storyWithArchive(alice);
    t.backend.push('Bob opens.');
    expect((await t.as(bob, '/story new a grey owl', member)).done).toBeTruthy();
    expect(await archiveOf(first)).toBeTruthy();
    const versions = await t.as(bob, '/story versions', member);
    expect(versions.text).toMatch(/and those of 1 earlier story kept here/);
    expect(fileText(versions.parts)).toContain('# Earlier story: a brave fox (started by Alice)');
    expect(fileText(versions.parts)).toContain('A beat of a brave fox.');

    // Bob starts anew: his story's versions go, Alice's stay.
    t.backend.push('B1.', 'B2.');
    await t.as(bob, 'I hoot', member);
    await t.as(bob, '/story undo', member);
    const second = (await t.state()).id;
    expect(await archiveOf(second)).toBeTruthy();
    t.backend.push('Bob again.');
    await t.as(bob, '/story new a third tale', member);
    expect(await archiveOf(second)).toBeUndefined();
    expect(await archiveOf(first)).toBeTruthy();
  });

  it('a manager who did not start the story drops them', async () => {
    t = await storyEngine();
    const first = await storyWithArchive(alice);
    t.backend.push('Carol opens.');
    await t.as(carol, '/story new a new tale', { canManage: () => true });
    expect(await archiveOf(first)).toBeUndefined();
  });

  it(`keeps at most ${MAX_ARCHIVED_STORIES} stories' versions; the oldest goes`, async () => {
    t = await storyEngine();
    const ids: string[] = [];
    for (let i = 0; i <= MAX_ARCHIVED_STORIES; i++) ids.push(await storyWithArchive(i % 2 ? bob : alice, `tale ${i}`));
    expect(await archiveOf(ids[0]!)).toBeUndefined();
    for (const id of ids.slice(1)) expect(await archiveOf(id)).toBeTruthy();
  });
});
