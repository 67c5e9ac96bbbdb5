import { describe, expect, it } from 'vitest';
import { makeEngine } from '../support/engine.js';

const zh = { locale: 'zh-CN' } as const;

describe('/memory in the speaker’s language', () => {
  it('shows its own lines in Chinese to a zh-CN speaker (the turns as they were written) and confirms /memory clear', async () => {
    const t = await makeEngine();
    t.backend.push({ parts: ['The fox looks up.'] });
    await t.send('I wake in the snow');
    const shown = (await t.send('/memory show', zh)).text.split('\n');
    expect(shown[0]).toBe('角色：storyteller');
    expect(shown[1]).toBe('记住的轮次：2');
    expect(shown).toContain('摘要：（暂无）');
    expect(shown.slice(-3)).toEqual(['最近的几轮：', '- Alice：I wake in the snow', '- Muse：The fox looks up.']);
    expect((await t.send('/memory clear', zh)).text).toBe('Muse 已经忘记了这个对话。');
    expect((await t.send('/memory show', zh)).text).toBe('角色：storyteller\n记住的轮次：0\n摘要：（暂无）');
  });

  it('still answers an English speaker in English', async () => {
    const t = await makeEngine();
    t.backend.push({ parts: ['The fox looks up.'] });
    await t.send('I wake in the snow');
    const shown = (await t.send('/memory show')).text.split('\n');
    expect(shown.slice(0, 2)).toEqual(['Persona: storyteller', 'Turns remembered: 2']);
    expect(shown).toContain('Summary: (none yet)');
    expect(shown.slice(-3)).toEqual(['Latest turns:', '- Alice: I wake in the snow', '- Muse: The fox looks up.']);
    expect((await t.send('/memory clear')).text).toBe('Muse has forgotten this conversation.');
  });
});
