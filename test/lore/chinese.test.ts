import { describe, expect, it } from 'vitest';
import { bob, makeEngine } from '../support/engine.js';

const zh = { locale: 'zh-CN' } as const;
const json = (value: unknown) => ({ name: 'world.json', data: Buffer.from(JSON.stringify(value)) });

describe('lore in the speaker’s language', () => {
  it('confirms, lists, explains and removes in Chinese to a zh-CN speaker, with what people wrote as written', async () => {
    const t = await makeEngine();
    expect((await t.send('/lore add key:"Ember|红龙" text:守护山口的红龙。 always:on', zh)).text).toBe(
      '已添加设定：Ember（又名：红龙）［常驻］：守护山口的红龙。',
    );
    expect((await t.send('/lore add key:Ember text:A red dragon.', zh)).text).toBe('已更新设定：Ember（又名：红龙）［常驻］：A red dragon.');
    await t.send('/lore add key:Mira text:A thief.');
    const list = await t.send('/lore list', zh);
    expect(list.text).toBe(
      '设定（2 条；/lore why 可查看上一条回复用了哪些）：\n• Ember（又名：红龙）［常驻］：A red dragon.（Alice 添加）\n• Mira：A thief.（Alice 添加）',
    );
    expect((await t.send('/lore why', zh)).text).toBe('添加设定之后还没有写过回复；等下一条回复之后再问吧。');
    await t.send('Mira walks in.');
    const why = (await t.send('/lore why', zh)).text;
    expect(why).toMatch(/^上一条回复用到的设定（预算约 \d+ 个 token）：\n已使用：Ember（常驻，约 \d+ 个 token）；Mira（被提及，约 \d+ 个 token）。$/);
    expect((await t.send('/lore remove key:Nobody', zh)).error?.message).toBe('这里没有设定条目“Nobody”；/lore list 可列出所有条目。');
    const forbidden = await t.send('/lore remove key:Mira', { ...zh, speaker: bob, canManage: () => false });
    expect(forbidden.error?.message).toBe('只有能管理这个频道的人才能在这里删除别人添加的设定条目。“Mira”是 Alice 添加的。');
    expect((await t.send('/lore remove key:Mira', zh)).text).toBe('已删除设定：Mira（由 Alice 添加），删除者：Alice。');
    expect((await t.send('/lore clear', zh)).text).toBe('已删除全部 1 条设定。');
    expect((await t.send('/lore clear', zh)).text).toBe('这里没有可删除的设定。');
    expect((await t.send('/lore list', zh)).text).toBe('这里还没有设定。可以用 /lore add <key> <text> 添加。');
  });

  it('imports and refuses a file in Chinese, naming the file as it was called', async () => {
    const t = await makeEngine();
    const entries = {
      0: { key: ['Ember'], content: 'A dragon.', constant: true },
      1: { key: ['Mira'], content: '', disable: false },
      2: { key: ['X'], content: 'x', disable: true },
    };
    expect((await t.send('/lore import', { ...zh, attachments: [json({ entries })] })).text).toBe(
      '已从 world.json（World Info）导入 1 条设定：跳过 1 条已停用的，跳过 1 条没有内容的，1 条常驻。',
    );
    const bad = await t.send('/lore import', { ...zh, attachments: [json({ entries: { 7: 'not an entry' } })] });
    expect(bad.error?.message).toBe('无法导入 world.json：World Info 条目 7 不是对象，所以什么都没有导入。');
    const notJson = await t.send('/lore import', { ...zh, attachments: [{ name: 'a.json', data: Buffer.from('{oops') }] });
    expect(notJson.error?.message).toBe('无法导入 a.json：该文件不是有效的 JSON，所以什么都没有导入。');
    expect((await t.send('/lore import', zh)).error?.message).toBe(
      '请在命令中附上一个 SillyTavern World Info JSON 文件或一张角色卡（JSON 或 PNG）；在终端里也可以用 path:FILE 指定。这次什么都没有导入。',
    );
  });

  it('still answers an English speaker in English', async () => {
    const t = await makeEngine();
    expect((await t.send('/lore add key:"Ember|the red dragon" text:A dragon. always:on')).text).toBe(
      'Lore added: Ember (also: the red dragon) [always on]: A dragon.',
    );
    expect((await t.send('/lore list')).text).toBe(
      'Lore (1 entry; /lore why shows what the last reply used):\n• Ember (also: the red dragon) [always on]: A dragon. (by Alice)',
    );
    const bad = await t.send('/lore import', { attachments: [json({ entries: { 7: 'not an entry' } })] });
    expect(bad.error?.message).toBe('Could not import world.json: World Info entry 7 is not an object; nothing was imported.');
    const forbidden = await t.send('/lore remove key:Ember', { speaker: bob, canManage: () => false });
    expect(forbidden.error?.message).toBe(
      'Only people who can manage this channel may remove lore entries that other people added here. "Ember" was added by Alice.',
    );
  });
});
