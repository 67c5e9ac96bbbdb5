import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { bob, channel, makeEngine, PERSONAS_DIR } from '../support/engine.js';
import { dataBlock } from '../support/prompt.js';

const key = conversationKey(channel);
const system = (t: Awaited<ReturnType<typeof makeEngine>>) => t.backend.lastCall!.messages[0]!.content;
const users = (t: Awaited<ReturnType<typeof makeEngine>>) => t.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content);

describe('engine: commands', () => {
  it('story new starts a fresh story with the storyteller and offers Continue/Retry/Undo', async () => {
    const t = await makeEngine();
    await t.send('some earlier chat');
    const reply = await t.send('/story new a brave fox persona:storyteller');
    expect(reply.done).toBeTruthy();
    expect(system(t)).toMatch(/narrator of an interactive story/);
    expect(dataBlock(t.backend.lastCall!.messages, "The story's premise")).toBe('a brave fox');
    expect(system(t)).toMatch(/suitable for all ages/);
    expect(users(t)).toEqual(['Alice: Begin a new story. Premise: a brave fox']);
    const actions = reply.parts.find((p) => p.type === 'actions');
    expect(actions).toMatchObject({
      actions: [{ run: { command: 'story', sub: 'continue' } }, { run: { command: 'story', sub: 'retry' } }, { run: { command: 'story', sub: 'undo' } }],
    });
    const meta = await t.store.getMeta(key);
    expect(meta).toMatchObject({ base: 2, count: 4, persona: 'storyteller', settings: { story: { premise: 'a brave fox', starterName: 'Alice' } } });
  });

  it('story new in an age-restricted channel does not force all-ages', async () => {
    const t = await makeEngine();
    await t.send('/story new a heist', { conversation: { ...channel, ageRestricted: true } });
    expect(system(t)).not.toMatch(/suitable for all ages/);
  });

  it('a failed story opening leaves the previous conversation as it was', async () => {
    const t = await makeEngine();
    await t.send('hello');
    const { ModelError } = await import('../../src/model/types.js');
    t.backend.push(new ModelError('server', 'The model server had an error; please try again.'));
    const reply = await t.send('/story new a brave fox');
    expect(reply.error?.code).toBe('model');
    expect(await t.store.getMeta(key)).toMatchObject({ base: 0, count: 2, settings: {} });
  });

  it('story continue goes on with or without a direction', async () => {
    const t = await makeEngine();
    await t.send('/story new a brave fox');
    await t.send('/story continue');
    expect(users(t).at(-1)).toBe('Alice: Continue the story.');
    await t.send('/story continue toward the river', { speaker: bob });
    expect(users(t).at(-1)).toBe('Bob: Continue the story. Direction: toward the river');
  });

  it('story retry rewrites the last beat from the same action; undo removes the last exchange', async () => {
    const t = await makeEngine();
    t.backend.push('Opening.', 'Beat one.', 'Beat one, again.');
    await t.send('/story new a brave fox');
    await t.send('I follow the fox', { speaker: bob });
    const retry = await t.send('/story retry');
    expect(retry.text).toBe('Beat one, again.');
    expect(users(t).at(-1)).toBe('Bob: I follow the fox');
    let turns = await t.store.getTurns(key, 0, 4);
    expect(turns.map((x) => x.text)).toEqual(['Begin a new story. Premise: a brave fox', 'Opening.', 'I follow the fox', 'Beat one, again.']);
    expect((await t.store.getMeta(key))!.count).toBe(4);

    const undo = await t.send('/story undo');
    expect(undo.text).toMatch(/last beat was removed/);
    expect((await t.store.getMeta(key))!.count).toBe(2);
    await t.send('I climb a tree');
    expect(users(t)).toEqual(['Alice: Begin a new story. Premise: a brave fox', 'Alice: I climb a tree']);
    turns = await t.store.getTurns(key, 0, 4);
    expect(turns[2]!.text).toBe('I climb a tree');
  });

  it('story retry and undo say so when there is nothing to work on', async () => {
    const t = await makeEngine();
    expect((await t.send('/story retry')).error?.message).toBe('There is no beat to retry yet; start one with /story new.');
    expect((await t.send('/story undo')).error?.message).toBe('There is nothing to undo in this story.');
  });

  it('story export returns the story as a Markdown file', async () => {
    const t = await makeEngine();
    t.backend.push('The fox wakes.', 'The river glitters.');
    await t.send('/story new a brave fox');
    await t.send('I wave at the fox', { speaker: bob });
    const reply = await t.send('/story export');
    const file = reply.parts.find((p) => p.type === 'file');
    expect(file).toBeTruthy();
    if (file?.type !== 'file') throw new Error('no file');
    expect(file.file.name).toBe('a-brave-fox.md');
    expect(file.file.content).toContain('# a brave fox');
    expect(file.file.content).toContain('Players: Alice, Bob');
    expect(file.file.content).toContain('The fox wakes.');
    expect(file.file.content).toContain('> **Bob:** I wave at the fox');
    expect(file.file.content).toContain('The river glitters.');
  });

  it('poem uses the poet for one reply, asks for the form, and keeps the conversation persona', async () => {
    const t = await makeEngine();
    t.backend.push('Red leaves on the path\nthe wind counts them one by one\nand loses its place');
    const haiku = await t.send('/poem autumn leaves form:haiku');
    expect(haiku.parts.find((p) => p.type === 'notice')).toEqual({ type: 'notice', text: 'haiku 5-7-5 ✓' });
    expect(system(t)).toMatch(/You are Muse, a poet/);
    expect(users(t).at(-1)).toBe('Alice: Write a haiku: exactly three lines of 5, 7 and 5 syllables, about: autumn leaves');
    expect((await t.store.getMeta(key))!.persona).toBe('storyteller');
    const bad = await t.send('/poem rain form:ode');
    expect(bad.error?.message).toBe('The form "ode" is not one of: free, haiku, tanka, limerick, sonnet, jueju5, jueju7.');
    await t.send('/poem 春天 form:jueju5');
    expect(users(t).at(-1)).toMatch(/五言绝句/);
  });

  it('tutor starts a Socratic session on the subject and level', async () => {
    const t = await makeEngine();
    await t.send('/tutor fractions level:beginner', { conversation: { ...channel, dm: true } });
    expect(system(t)).toMatch(/Socratic/);
    expect(dataBlock(t.backend.lastCall!.messages, "This session's subject")).toBe('fractions');
    expect(system(t)).toMatch(/The learner's level: beginner\.$/);
    const meta = await t.store.getMeta(conversationKey({ ...channel, dm: true }));
    expect(meta).toMatchObject({ persona: 'tutor', settings: { tutor: { subject: 'fractions', level: 'beginner' } } });
    await t.send('/tutor start linear algebra');
    expect(users(t).at(-1)).toBe('Alice: I want to learn about linear algebra.');
  });

  it('persona list, show and use', async () => {
    const t = await makeEngine();
    const list = await t.send('/persona list');
    for (const name of ['copywriter', 'poet', 'storyteller', 'tutor']) expect(list.text).toContain(name);
    expect((await t.send('/persona show poet')).text).toMatch(/^poet \(poem\)/);
    const use = await t.send('/persona use copywriter');
    expect(use.text).toMatch(/now the copywriter/);
    await t.send('a tagline for socks');
    expect(system(t)).toMatch(/copywriter/);
    expect((await t.send('/persona use ghost')).error?.message).toBe('There is no persona "ghost". Available: copywriter, poet, storyteller, tutor.');
  });

  it('refuses persona use and memory clear to people who cannot manage a shared channel, but not in DMs', async () => {
    const t = await makeEngine();
    const refused = await t.send('/persona use poet', { canManage: () => false });
    expect(refused.error).toMatchObject({ code: 'forbidden', ephemeral: true, message: 'Only people who can manage this channel may use /persona use here.' });
    expect((await t.send('/memory clear', { canManage: () => false })).error?.code).toBe('forbidden');
    const dm = await t.send('/persona use poet', { canManage: () => false, conversation: { ...channel, dm: true } });
    expect(dm.done).toBeTruthy();
    expect((await t.send('/persona use poet', { canManage: () => true })).done).toBeTruthy();
  });

  it('memory show and clear', async () => {
    const t = await makeEngine();
    t.backend.push('Hello Alice.');
    await t.send('hi there');
    const show = await t.send('/memory show');
    expect(show.text).toContain('Persona: storyteller');
    expect(show.text).toContain('Turns remembered: 2');
    expect(show.text).toContain('- Alice: hi there');
    expect(show.text).toContain('- Muse: Hello Alice.');
    await t.send('/memory clear');
    // Nothing is left: no turns, no meta.
    expect(await t.store.getMeta(key)).toBeUndefined();
    expect(await t.store.getTurns(key, 0, 2)).toEqual([]);
    expect((await t.send('/memory show')).text).toContain('Turns remembered: 0');
  });

  it('help lists every command; unknown commands and options get a sentence', async () => {
    const t = await makeEngine();
    const help = await t.send('/help');
    for (const usage of [
      '/story new <premise> [persona]',
      '/poem <topic> [form]',
      '/tutor start <subject> [level]',
      '/persona use <name>',
      '/lore add <key> <text>',
      '/memory clear',
      '/help',
      '/story cast add <name> [persona] [avatar]: Add a character to the story’s cast',
      '/story note [text]',
    ]) {
      expect(help.text).toContain(usage);
    }
    expect((await t.send('/lore add key:Ember a red dragon')).text).toBe('Lore added: Ember: a red dragon');
    expect((await t.send('/dance')).error?.message).toBe('There is no command /dance. Type /help to see the commands.');
    expect((await t.send('/story')).error?.message).toBe(
      '/story needs a subcommand; try one of: new, continue, retry, undo, export, vote, close, version, versions, recap, join, cast, note.',
    );
    expect((await t.send('/story new')).error?.message).toBe(
      '/story new needs a premise. Usage: /story new <premise> [persona] [vote] [rounds] [rating] [image]',
    );
    expect((await t.send('/memory show everything')).error?.message).toBe('/memory show takes no options, but got "everything".');
    expect(t.backend.calls).toHaveLength(0);
  });

  it('accepts structured commands (as Discord sends them) with the same validation', async () => {
    const t = await makeEngine();
    const reply = await t.send('', { command: { name: 'poem', options: { topic: 'the sea', form: 'limerick' } } });
    expect(reply.done).toBeTruthy();
    expect(users(t).at(-1)).toMatch(/limerick.*about: the sea$/);
    const bad = await t.send('', { command: { name: 'poem', options: { topic: 'x', colour: 'red' } } });
    expect(bad.error?.message).toMatch(/has no option "colour"/);
  });
});

describe('personas as data', () => {
  it('reports a broken file by file and field without taking the others down, and picks up new files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muse-personas-'));
    cpSync(PERSONAS_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, 'broken.md'),
      '---\nname: broken\ndescription: Too hot\nmode: chat\ntemperature: 7\nmax_output_tokens: 100\ngreeting: hi\n---\nPrompt.\n',
    );
    const personas = new PersonaRegistry([dir], { recheckMs: 0 });
    const t = await makeEngine({ personas });
    const list = await t.send('/persona list');
    expect(list.text).toContain('storyteller');
    expect(list.text).toMatch(/broken\.md could not be loaded: temperature: .*2/);
    expect((await t.send('/persona use broken')).error?.message).toMatch(/^The persona "broken" could not be loaded \(broken\.md: temperature: .*2.*\)\.$/);

    const source = readFileSync(join(PERSONAS_DIR, 'copywriter.md'), 'utf8')
      .replace('name: copywriter', 'name: pirate')
      .replace('You are Muse, a senior advertising copywriter.', 'You are a pirate.');
    writeFileSync(join(dir, 'pirate.md'), source);
    expect((await t.send('/persona use pirate')).done).toBeTruthy();
    await t.send('ahoy');
    expect(system(t)).toMatch(/You are a pirate\./);
  });

  it('names the missing field', async () => {
    const { parsePersona } = await import('../../src/personas/parse.js');
    expect(() => parsePersona('x.md', '---\nname: x\nmode: chat\ntemperature: 1\nmax_output_tokens: 100\ngreeting: hi\n---\nBody')).toThrow(/^description: /);
    expect(() => parsePersona('x.md', 'no front matter')).toThrow(/missing front matter/);
    expect(() => parsePersona('x.md', '---\nname: x\ndescription: d\nmode: chat\ntemperature: 1\nmax_output_tokens: 100\ngreeting: hi\n---\n')).toThrow(
      /^body: /,
    );
  });
});
