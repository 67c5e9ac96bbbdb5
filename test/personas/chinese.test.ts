import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEngine } from '../support/engine.js';

const zh = { locale: 'zh-CN' } as const;
const CARDS = join(import.meta.dirname, '../fixtures/cards');
const card = (name: string) => ({ name, data: readFileSync(join(CARDS, name)) });

describe('personas in the speaker’s language', () => {
  it('lists, shows, switches, imports and removes in Chinese to a zh-CN speaker; a persona’s own words stay as written', async () => {
    const t = await makeEngine();
    const list = (await t.send('/persona list', zh)).text;
    expect(list.split('\n')[0]).toBe('角色（▸ 表示这里正在使用的）：');
    expect(list).toContain('\n▸ storyteller（story）：Narrates an interactive story with everyone in the channel.');
    const show = (await t.send('/persona show poet', zh)).text;
    expect(show.split('\n').slice(0, 2)).toEqual([
      'poet（poem）：Writes poems on any topic, keeping the form you ask for.',
      'temperature 0.8，每条回复最多 500 个 token；内置',
    ]);
    expect(show).toMatch(/\n问候语：Give me a topic/);
    expect(show).toContain('\n\n提示词：\nYou are Muse, a poet.');
    expect((await t.send('/persona use poet', zh)).text).toMatch(/^Muse 现在在这里是 poet。Give me a topic/);

    const imported = await t.send('/persona import', { ...zh, attachments: [card('mira-v2.json')] });
    expect(imported.text).toBe(
      '已将 Mira Quickfingers 导入为本工作区的角色“mira-quickfingers”；用 /persona use mira-quickfingers 即可切换到它。它的设定（character_book）可以用 /lore import 添加。',
    );
    expect((await t.send('/persona list', zh)).text).toContain('\n在这里导入的（1/50）：\n• mira-quickfingers（chat）：');
    expect((await t.send('/persona show mira-quickfingers', zh)).text).toMatch(/；由 Alice 于 \d{4}-\d\d-\d\d 从 mira-v2\.json 导入\n/);
    expect((await t.send('/persona remove poet', zh)).error?.message).toBe('“poet”是内置角色；只有导入的角色才能删除。');
    expect((await t.send('/persona remove mira-quickfingers', zh)).text).toBe('已删除导入的角色“mira-quickfingers”；用过它的对话会回到 storyteller。');
    expect((await t.send('/persona import name:Bad!', { ...zh, attachments: [card('mira-v2.json')] })).error?.message).toBe(
      '“Bad!”不能用作角色名：请使用 1 到 32 个小写字母、数字、- 或 _。',
    );
    const unknown = await t.send('/persona import', { ...zh, attachments: [{ name: 'x.json', data: Buffer.from('{"spec":"nope"}') }] });
    expect(unknown.error?.message).toBe('无法导入 x.json：它的 spec“nope”不是 Muse 认识的角色卡格式（chara_card_v2 或 chara_card_v3），所以什么都没有导入。');
    const png = await t.send('/persona import', {
      ...zh,
      attachments: [{ name: 'x.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) }],
    });
    expect(png.error?.message).toBe('无法导入 x.png：PNG 文件在某个数据块的头部中途被截断了，所以什么都没有导入。');
  });

  it('still answers an English speaker in English', async () => {
    const t = await makeEngine();
    expect((await t.send('/persona list')).text.split('\n')[0]).toBe('Personas (▸ is in use here):');
    expect((await t.send('/persona show poet')).text.split('\n')[1]).toBe('temperature 0.8, up to 500 tokens a reply; built in');
    expect((await t.send('/persona remove poet')).error?.message).toBe('"poet" is a built-in persona; only imported personas can be removed.');
    const unknown = await t.send('/persona import', { attachments: [{ name: 'x.json', data: Buffer.from('{"spec":"nope"}') }] });
    expect(unknown.error?.message).toBe(
      'Could not import x.json: its spec "nope" is not a character card Muse knows (chara_card_v2 or chara_card_v3); nothing was imported.',
    );
  });
});
