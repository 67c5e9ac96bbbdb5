import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { command } from '../../src/engine/spec.js';
import { MAX_REPAIRS, writePoem } from '../../src/features/poem/write.js';
import { FakeBackend } from '../../src/model/fake.js';
import { ModelError, type ModelRequest } from '../../src/model/types.js';
import { channel, makeEngine, withFeatures } from '../support/engine.js';

const key = conversationKey(channel);
const HAIKU = 'Red leaves on the path\nthe wind counts them one by one\nand loses its place';
const LONG_MIDDLE = 'Red leaves on the path\nthe cold wind counts them one by one\nand loses its place';
const lastUser = (req: ModelRequest) => req.messages.filter((m) => m.role === 'user').at(-1)!.content;

// The loop with a small bound, as a command of its own (the real /poem uses MAX_REPAIRS).
const poemOnce = command({
  name: 'poem1',
  description: 'poem with at most one repair',
  options: [
    { name: 'topic', description: 'topic', required: true, rest: true },
    { name: 'form', description: 'form', choices: [{ value: 'haiku', label: 'haiku' }] },
  ],
  run: ({ options, session }) => writePoem(session, options.topic, options.form ?? 'haiku', { maxRepairs: 1 }),
});

describe('poem: the repair loop', () => {
  it('repairs an invalid first draft and delivers the valid one with a ✓ rubric', async () => {
    const t = await makeEngine();
    t.backend.push(`Here is a haiku:\n\n${LONG_MIDDLE}`, `\`\`\`\n${HAIKU}\n\`\`\``);
    const reply = await t.send('/poem autumn leaves form:haiku');
    expect(reply.parts).toEqual([
      { type: 'started' },
      { type: 'message', text: HAIKU },
      { type: 'notice', text: 'haiku 5-7-5 ✓' },
      { type: 'done', text: HAIKU },
    ]);
    expect(t.backend.calls).toHaveLength(2);
    const [first, second] = t.backend.calls;
    expect(lastUser(first!)).toBe('Alice: Write a haiku: exactly three lines of 5, 7 and 5 syllables, about: autumn leaves');
    // The repair carries the previous draft and what is wrong with it, line by line, and the form.
    expect(second!.messages.at(-2)).toEqual({ role: 'assistant', content: LONG_MIDDLE });
    const repair = lastUser(second!);
    expect(repair).toContain('line 2 "the cold wind counts them one by one": 8 syllables, wants 7 ✗');
    expect(repair).toContain('line 1 "Red leaves on the path": 5 syllables ✓');
    expect(repair).toMatch(/The task: write a haiku: exactly three lines of 5, 7 and 5 syllables, about: autumn leaves$/);
    // Only the delivered poem is saved, with the asking turn.
    expect((await t.store.getTurns(key, 0, 10)).map((x) => x.text)).toEqual([
      'Write a haiku: exactly three lines of 5, 7 and 5 syllables, about: autumn leaves',
      HAIKU,
    ]);
  });

  it('a valid first draft needs one call', async () => {
    const t = await makeEngine();
    t.backend.push(HAIKU);
    const reply = await t.send('/poem autumn leaves form:haiku');
    expect(reply.text).toBe(HAIKU);
    expect(t.backend.calls).toHaveLength(1);
  });

  it('always-invalid output stops after 1 + maxRepairs calls with an honest ✗ rubric on the best attempt', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: 'Red leaves\nfall down' }) });
    t.backend.push(LONG_MIDDLE); // the best of the three: one line one syllable off
    const reply = await t.send('/poem autumn leaves form:haiku');
    expect(t.backend.calls).toHaveLength(1 + MAX_REPAIRS);
    expect(reply.parts).toEqual([
      { type: 'started' },
      { type: 'message', text: LONG_MIDDLE },
      { type: 'notice', text: 'haiku: line 2 has 8 syllables (wants 7) ✗ (best of 3 attempts)' },
      { type: 'done', text: LONG_MIDDLE },
    ]);
    // Each repair answers the draft before it.
    expect(t.backend.calls[2]!.messages.at(-2)).toEqual({ role: 'assistant', content: 'Red leaves\nfall down' });
    expect(lastUser(t.backend.calls[2]!)).toContain('- the poem has 2 lines; the form wants 3 ✗');

    const bounded = await makeEngine({
      features: withFeatures({ name: 'poem1', commands: [poemOnce] }),
      backend: new FakeBackend({ fallback: 'Red leaves\nfall down' }),
    });
    const once = await bounded.send('/poem1 leaves');
    expect(bounded.backend.calls).toHaveLength(2);
    expect(once.parts.find((p) => p.type === 'notice')).toEqual({
      type: 'notice',
      text: 'haiku: 2 lines (wants 3); line 1 has 2 syllables (wants 5); line 2 has 2 syllables (wants 7) ✗ (best of 2 attempts)',
    });
  });

  it('a model failure mid-loop saves nothing', async () => {
    const t = await makeEngine();
    t.backend.push(LONG_MIDDLE, new ModelError('timeout', 'The model took too long to answer; please try again.'));
    const reply = await t.send('/poem autumn leaves form:haiku');
    expect(reply.error).toMatchObject({ code: 'model', message: 'The model took too long to answer; please try again.' });
    expect(reply.parts.some((p) => p.type === 'message' || p.type === 'text')).toBe(false);
    expect(await t.store.getMeta(key)).toBeUndefined();
  });

  it('sonnets and limericks are repaired on rhyme, jueju on characters; free verse streams, unchecked', async () => {
    const t = await makeEngine();
    const limerick =
      'A coder who lived by the sea\nWrote programs while sipping her tea;\nWhen the tests all went red,\nShe went calmly to bed,\nAnd woke to find none of them free.';
    t.backend.push(limerick.replace('bed', 'sleep'), limerick);
    const lim = await t.send('/poem a coder form:limerick');
    expect(lim.parts.find((p) => p.type === 'notice')).toEqual({ type: 'notice', text: 'limerick AABBA, long-long-short-short-long ✓' });
    expect(lastUser(t.backend.calls[1]!)).toContain('lines 3/4 should rhyme but end in "red" and "sleep" ✗');

    t.backend.push('床前明月光，\n疑是地上白霜。\n举头望明月，\n低头思故乡。', '好的：\n\n床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。');
    const jj = await t.send('/poem 月亮 form:jueju5');
    expect(jj.text).toBe('床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。');
    expect(jj.parts.find((p) => p.type === 'notice')).toEqual({ type: 'notice', text: '五言绝句 4×5 ✓' });
    expect(lastUser(t.backend.calls[3]!)).toContain('line 2 "疑是地上白霜。": 6 characters, wants 5 ✗');

    // Free verse has nothing to check: one call, streamed, no rubric.
    const before = t.backend.calls.length;
    t.backend.push('Just one line of free verse');
    const free = await t.send('/poem the sea');
    expect(t.backend.calls.length - before).toBe(1);
    expect(free.parts.map((p) => p.type)).toEqual(['started', 'text', 'text', 'text', 'text', 'done']);
    expect(free.text).toBe('Just one line of free verse');
  });

  it('a sonnet keeps its stanzas through delivery', async () => {
    const t = await makeEngine();
    const quatrain =
      "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\nRough winds do shake the darling buds of May,\nAnd summer's lease hath all too short a date;";
    const sonnet = [quatrain, quatrain, quatrain, 'So long as men can breathe or eyes can see,\nSo long lives this, and this gives life to thee.'].join('\n\n');
    t.backend.push(sonnet);
    const reply = await t.send('/poem summer form:sonnet');
    expect(reply.text).toBe(sonnet);
    expect(reply.parts.find((p) => p.type === 'notice')).toEqual({
      type: 'notice',
      text: 'sonnet: 14 lines ✓, rhyme ABAB CDCD EFEF GG ✓, about ten syllables a line ✓',
    });
  });
});
