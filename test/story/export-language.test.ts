import { afterEach, describe, expect, it } from 'vitest';
import { BEAT, storyEngine, type StoryTest } from './helpers.js';

let t: StoryTest;
afterEach(async () => {
  await t.close();
});

/** The Markdown file and the sentence of a reply (export, versions). */
const fileOf = (reply: Awaited<ReturnType<StoryTest['send']>>) => {
  const f = reply.parts.find((p) => p.type === 'file');
  if (f?.type !== 'file') throw new Error('no file');
  return { content: f.file.content, name: f.file.name, text: reply.text };
};

describe('story: the export files’ own headings in the exporter’s language', () => {
  it('writes Muse’s headings in Chinese for a zh-CN exporter and in English otherwise; what was written stays as written', async () => {
    t = await storyEngine();
    t.backend.push(BEAT, 'Another telling of the fork.\n\n1. Run\n2. Hide');
    await t.send('/story new a brave fox');
    await t.send('/story retry');
    const zh = { locale: 'zh-CN' };

    const story = fileOf(await t.send('/story export', zh));
    expect(story.content).toContain('玩家：Alice\n旁白人设：storyteller');
    expect(story.content).toContain('*进行中的投票：*\n\n1. Run\n2. Hide');
    expect(story.text).toBe(`这是到目前为止的故事（1 段），文件为 ${story.name}。`);
    const inEnglish = fileOf(await t.send('/story export'));
    expect(inEnglish.content).toContain('Players: Alice\nNarrator persona: storyteller');
    expect(inEnglish.text).toBe(`Here is the story so far (1 beat) as ${inEnglish.name}.`);

    const versions = fileOf(await t.send('/story versions', zh));
    expect(versions.content).toContain('# a brave fox：所有版本');
    expect(versions.content).toContain('## 第 1 段（第 2 版为正式版本）');
    expect(versions.content).toContain('### 第 1 版\n\nThe fox stops where the path forks.');
    expect(versions.content).toContain('### 第 2 版（正式版本）\n\nAnother telling of the fork.');
    expect(versions.text).toBe(`1 段有其他版本，0 段被撤销，所有版本都在 ${versions.name} 里。`);
    const englishVersions = fileOf(await t.send('/story versions'));
    expect(englishVersions.content).toContain('## Beat 1 (version 2 is canon)');
    expect(englishVersions.text).toBe(`Every version of 1 beat with alternatives and 0 undone beats, as ${englishVersions.name}.`);
  });
});
