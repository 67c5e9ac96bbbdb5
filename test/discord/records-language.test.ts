import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, runInteraction } from './harness.js';

describe("Discord: lore, personas and memory in the interaction's language", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const run = async (opts: Parameters<Harness['fake']['slash']>[0]) => (await runInteraction(h, () => h.fake.slash(opts))).replies.map((r) => r.content);

  it('answers a zh-CN client in Chinese and an en-US client in English', async () => {
    expect(await run({ name: 'lore', subcommand: 'add', options: { key: 'Ember', text: '一条红龙。' }, locale: 'zh-CN' })).toEqual([
      '已添加设定：Ember：一条红龙。',
    ]);
    expect(await run({ name: 'lore', subcommand: 'list', locale: 'zh-CN' })).toEqual([
      '设定（1 条；/lore why 可查看上一条回复用了哪些）：\n• Ember：一条红龙。（Alice 添加）',
    ]);
    expect(await run({ name: 'lore', subcommand: 'list', locale: 'en-US' })).toEqual([
      'Lore (1 entry; /lore why shows what the last reply used):\n• Ember: 一条红龙。 (by Alice)',
    ]);
    const shown = (await run({ name: 'memory', subcommand: 'show', locale: 'zh-CN' })).join('\n');
    expect(shown).toMatch(/^角色：\S+\n记住的轮次：0\n摘要：（暂无）$/);
    expect((await run({ name: 'memory', subcommand: 'show', locale: 'en-US' })).join('\n')).toMatch(
      /^Persona: \S+\nTurns remembered: 0\nSummary: \(none yet\)$/,
    );
    const personas = (await run({ name: 'persona', subcommand: 'list', locale: 'zh-CN' })).join('\n');
    expect(personas.startsWith('角色（▸ 表示这里正在使用的）：\n')).toBe(true);
  });
});
