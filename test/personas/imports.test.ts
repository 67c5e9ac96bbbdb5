import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef, Speaker } from '../../src/engine/conversation.js';
import { MUSE } from '../../src/engine/engine.js';
import type { Attachment } from '../../src/engine/session.js';
import { ImportedPersonas } from '../../src/personas/imported.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { alice, bob, collect, makeEngine, PERSONAS_DIR, type TestEngine } from '../support/engine.js';

const guildA: ConversationRef = { platform: 'discord', workspace: 'gA', channel: 'a1' };
const guildA2: ConversationRef = { platform: 'discord', workspace: 'gA', channel: 'a2' };
const guildB: ConversationRef = { platform: 'discord', workspace: 'gB', channel: 'b1' };
const guildC: ConversationRef = { platform: 'discord', workspace: 'gC', channel: 'c1' };
const dmAlice: ConversationRef = { platform: 'discord', workspace: '@me', channel: 'd-alice', dm: true };
const dmBob: ConversationRef = { platform: 'discord', workspace: '@me', channel: 'd-bob', dm: true };
const BUILT_INS = 'copywriter, poet, storyteller, tutor';

/** A Character Card V2 as an attached JSON file. */
function card(name: string, description: string, extra: Record<string, unknown> = {}): Attachment {
  const json = { spec: 'chara_card_v2', spec_version: '2.0', data: { name, description, first_mes: `${name} waves.`, ...extra } };
  return { name: `${name.toLowerCase()}.json`, data: Buffer.from(JSON.stringify(json)) };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Muse's engine on a copy of the built-in personas (to see that imports write no file there). */
async function setup(opts: { personaImport?: 'managers' | 'off' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'muse-personas-'));
  dirs.push(dir);
  cpSync(PERSONAS_DIR, dir, { recursive: true });
  const t = await makeEngine({ personas: new PersonaRegistry([dir], { recheckMs: 0 }), ...opts });
  const at = (conversation: ConversationRef, speaker: Speaker = alice) => ({
    send: (text: string, more: { attachments?: Attachment[]; canManage?: () => boolean } = {}) => t.send(text, { conversation, speaker, ...more }),
  });
  return { t, dir, at };
}

function system(t: TestEngine): string {
  return t.backend.lastCall!.messages[0]!.content;
}

describe('imported personas belong to a server, a workspace or a DM user, and live in the store', () => {
  it('two servers import the same name and each sees its own; a third sees neither; no file is written', async () => {
    const { t, dir, at } = await setup();
    const files = readdirSync(dir).sort();
    const a = await at(guildA).send('/persona import', { attachments: [card('Ember', 'A dragon of server A.')] });
    expect(a.text).toBe('Imported Ember as the persona "ember" for this server; switch to it with /persona use ember.');
    const b = await at(guildB, bob).send('/persona import', { attachments: [card('Ember', 'A dragon of server B.')] });
    expect(b.error).toBeUndefined();

    expect((await at(guildA).send('/persona show ember')).text).toContain('About Ember:\nA dragon of server A.');
    expect((await at(guildA).send('/persona show ember')).text).not.toContain('server B');
    expect((await at(guildB).send('/persona show ember')).text).toContain('About Ember:\nA dragon of server B.');
    expect((await at(guildA2).send('/persona list')).text).toContain('Imported here (1 of 50):\n• ember (chat): Plays Ember (imported character card).');

    const c = at(guildC);
    expect((await c.send('/persona list')).text).not.toContain('ember');
    const missing = `There is no persona "ember". Available: ${BUILT_INS}.`;
    expect((await c.send('/persona show ember')).error?.message).toBe(missing);
    expect((await c.send('/persona use ember')).error?.message).toBe(missing);
    expect((await c.send('/story new a cave persona:ember')).error?.message).toBe(missing);
    const suggested = async (conversation: ConversationRef) =>
      (await t.engine.suggest({ command: 'persona', sub: 'use', option: 'name' }, 'emb', { conversation, speaker: alice })).map((s) => s.value);
    expect(await suggested(guildA)).toEqual(['ember']);
    expect(await suggested(guildC)).toEqual([]);

    expect(readdirSync(dir).sort()).toEqual(files);
    // Who imported it, when, and the card it came from are kept with it.
    const stored = await new ImportedPersonas(t.store).get('discord:gA', 'ember');
    expect(stored?.imported).toMatchObject({ tenant: 'discord:gA', by: { id: alice.id, name: 'Alice' }, cardFile: 'ember.json' });
    expect(JSON.parse((await new ImportedPersonas(t.store).card('discord:gA', 'ember'))!)).toMatchObject({ data: { description: 'A dragon of server A.' } });
  });

  it('one server cannot replace another’s persona: its import of the same name is its own', async () => {
    const { t, at } = await setup();
    await at(guildA).send('/persona import', { attachments: [card('Ember', 'A dragon of server A.')] });
    expect((await at(guildA).send('/persona use ember')).done).toBeTruthy();
    await at(guildA).send('hello');
    expect(system(t)).toContain('A dragon of server A.');
    await at(guildB).send('/persona import', { attachments: [card('Ember', 'A dragon of server B.')] });
    await at(guildA).send('hello again');
    expect(system(t)).toContain('A dragon of server A.');
    expect(system(t)).not.toContain('server B');
  });

  it('a persona chosen in a DM stays the one Muse speaks as when Muse speaks there on its own (a window closing)', async () => {
    const { t, at } = await setup();
    await at(dmAlice).send('/persona import mode:story', { attachments: [card('Ember', 'A dragon in Alice’s DMs.')] });
    expect((await at(dmAlice).send('/persona use ember')).done).toBeTruthy();
    await at(dmBob, bob).send('/persona import mode:story', { attachments: [card('Ember', 'A dragon in Bob’s DMs.')] });
    const spoken = await collect(t.engine.inConversation(dmAlice, MUSE, (session) => session.say(session.persona().prompt)));
    expect(spoken.text).toContain('A dragon in Alice’s DMs.');
    expect(spoken.parts.filter((p) => p.type === 'notice')).toEqual([]);
  });

  it('anyone may import in their own DMs, and nobody else (another user, a server) sees it', async () => {
    const { at } = await setup();
    const dm = await at(dmAlice).send('/persona import', { attachments: [card('Wren', 'A small bird.')], canManage: () => false });
    expect(dm.text).toBe('Imported Wren as the persona "wren" for you alone; switch to it with /persona use wren.');
    expect((await at({ ...dmAlice, channel: 'd-alice-2' }).send('/persona list')).text).toContain('• wren (chat)');
    expect((await at(dmBob, bob).send('/persona list')).text).not.toContain('wren');
    expect((await at(guildA).send('/persona list')).text).not.toContain('wren');
  });

  it('an import may not take a built-in persona’s name', async () => {
    const { at } = await setup();
    const named = await at(guildA).send('/persona import name:storyteller', { attachments: [card('Kai', 'A keeper.')] });
    expect(named.error?.message).toBe('"storyteller" is a built-in persona; import the card under another name with name:, nothing was imported.');
    const slugged = await at(guildA).send('/persona import', { attachments: [card('Poet', 'A rival poet.')] });
    expect(slugged.error?.message).toBe('"poet" is a built-in persona; import the card under another name with name:, nothing was imported.');
    expect((await at(guildA).send('/persona list')).text).not.toContain('Imported here');
  });
});

describe('caps on imported personas', () => {
  it('refuses a prompt over 8,000 characters in one sentence and keeps nothing of it', async () => {
    const { t, at } = await setup();
    const reply = await at(guildA).send('/persona import', { attachments: [card('Ember', 'x'.repeat(8_000))] });
    expect(reply.error?.message).toMatch(
      /^The persona made from this card would have a prompt of 8,\d{3} characters; Muse takes at most 8,000, so nothing was imported\.$/,
    );
    expect(await new ImportedPersonas(t.store).list('discord:gA')).toEqual([]);
    expect(await new ImportedPersonas(t.store).get('discord:gA', 'ember')).toBeUndefined();
  });

  it('keeps at most 50 imported personas per server; re-importing one of them still replaces it', async () => {
    const { at } = await setup();
    const a = at(guildA);
    for (let i = 1; i <= 50; i++) expect((await a.send(`/persona import name:p${i}`, { attachments: [card('Kai', 'A keeper.')] })).error).toBeUndefined();
    const full = await a.send('/persona import name:p51', { attachments: [card('Kai', 'A keeper.')] });
    expect(full.error?.message).toBe('Muse keeps at most 50 imported personas here; remove one with /persona remove first, nothing was imported.');
    expect((await a.send('/persona list')).text).toContain('Imported here (50 of 50):');
    expect((await a.send('/persona show p51')).error?.message).toMatch(/^There is no persona "p51"/);
    const again = await a.send('/persona import name:p7', { attachments: [card('Kai', 'A keeper, imported again.')] });
    expect(again.text).toMatch(/^Imported Kai as the persona "p7" \(replacing the earlier import\) for this server/);
    expect((await a.send('/persona show p7')).text).toContain('A keeper, imported again.');
    // Another server has its own 50.
    expect((await at(guildB).send('/persona import name:p51', { attachments: [card('Kai', 'A keeper.')] })).error).toBeUndefined();
  });

  it('a built-in file whose prompt, greeting or description is too long is a load error naming the file and field', async () => {
    const { dir, at } = await setup();
    const file = (name: string, fields: { description?: string; greeting?: string }, body: string) =>
      writeFileSync(
        join(dir, `${name}.md`),
        `---\nname: ${name}\ndescription: ${fields.description ?? 'Fine.'}\nmode: chat\ntemperature: 1\nmax_output_tokens: 100\ngreeting: ${fields.greeting ?? 'hi'}\n---\n${body}\n`,
      );
    file('long', {}, 'y'.repeat(8_001));
    file('chatty', { greeting: 'g'.repeat(1_001) }, 'Prompt.');
    file('wordy', { description: 'd'.repeat(101) }, 'Prompt.');
    const list = (await at(guildA).send('/persona list')).text;
    expect(list).toMatch(/✗ .*long\.md could not be loaded: body: the prompt is 8,001 characters; at most 8,000$/m);
    expect(list).toMatch(/✗ .*chatty\.md could not be loaded: greeting: /m);
    expect(list).toMatch(/✗ .*wordy\.md could not be loaded: description: /m);
    expect((await at(guildA).send('/persona use long')).error?.message).toMatch(
      /^The persona "long" could not be loaded \(long\.md: body: the prompt is 8,001/,
    );
  });
});

describe('/persona show', () => {
  it('is private and one message: a long prompt is cut, saying how much is left', async () => {
    const { t, at } = await setup();
    await at(guildA).send('/persona import', { attachments: [card('Ember', 'z'.repeat(7_000), { first_mes: 'w'.repeat(2_000) })] });
    const reply = await at(guildA).send('/persona show ember');
    const messages = reply.parts.filter((p) => p.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ephemeral: true });
    expect(reply.text.length).toBeLessThanOrEqual(1_900);
    expect(reply.text).toContain('imported by Alice on ');
    const prompt = (await new ImportedPersonas(t.store).get('discord:gA', 'ember'))!.prompt;
    const shown = /\nPrompt:\n([\s\S]*)…\((\d[\d,]*) more characters\)$/.exec(reply.text);
    expect(shown).not.toBeNull();
    expect(prompt.startsWith(shown![1]!)).toBe(true);
    expect(Number(shown![2]!.replace(/,/g, ''))).toBe(prompt.length - shown![1]!.length);
    expect(shown![1]!.length).toBeGreaterThan(1_000);
    // A short built-in one is shown whole, privately too.
    const poet = await at(guildA).send('/persona show poet');
    expect(poet.parts.find((p) => p.type === 'message')).toMatchObject({ ephemeral: true });
    expect(poet.text).not.toContain('more characters');
  });
});

describe('MUSE_PERSONA_IMPORT', () => {
  it('off refuses /persona import in one sentence when the command is checked, before any file is taken, even in a DM', async () => {
    const { t, at } = await setup({ personaImport: 'off' });
    const sentence = 'The operator of this Muse has switched persona imports off.';
    for (const conversation of [guildA, dmAlice]) {
      const plan = await t.engine.check(t.engine.plan({ text: '/persona import' }), { conversation, speaker: alice, canManage: () => true });
      expect(plan).toMatchObject({ kind: 'refusal', part: { code: 'forbidden', message: sentence } });
    }
    expect((await at(guildA).send('/persona import', { attachments: [card('Ember', 'A dragon.')] })).error?.message).toBe(sentence);
    expect(await new ImportedPersonas(t.store).list('discord:gA')).toEqual([]);
    // Everything else about personas works as before.
    expect((await at(guildA).send('/persona use poet')).done).toBeTruthy();
  });

  it('managers (the default) keeps imports to managers in shared channels', async () => {
    const { at } = await setup();
    const refused = await at(guildA, bob).send('/persona import', { attachments: [card('Ember', 'A dragon.')], canManage: () => false });
    expect(refused.error).toMatchObject({ code: 'forbidden', message: 'Only people who can manage this channel may use /persona import here.' });
  });
});

describe('/persona remove', () => {
  it('removes one of the server’s imports; conversations using it fall back to the default with a one-line notice, once', async () => {
    const { t, at } = await setup();
    await at(guildA).send('/persona import', { attachments: [card('Ember', 'A dragon of server A.')] });
    await at(guildB).send('/persona import', { attachments: [card('Ember', 'A dragon of server B.')] });
    await at(guildA).send('/persona use ember');
    await at(guildA2).send('/persona use ember');
    await at(guildB).send('/persona use ember');

    const bobRefused = await at(guildA, bob).send('/persona remove ember', { canManage: () => false });
    expect(bobRefused.error?.code).toBe('forbidden');
    const builtIn = await at(guildA).send('/persona remove storyteller');
    expect(builtIn.error?.message).toBe('"storyteller" is a built-in persona; only imported personas can be removed.');
    const removed = await at(guildA).send('/persona remove ember');
    expect(removed.text).toBe('Removed the imported persona "ember"; conversations that used it go back to the storyteller.');
    expect((await at(guildA).send('/persona list')).text).toContain('▸ storyteller');
    expect((await at(guildA).send('/persona show ember')).error?.message).toBe(`There is no persona "ember". Available: ${BUILT_INS}.`);

    const next = await at(guildA2).send('hello');
    expect(next.parts.filter((p) => p.type === 'notice').map((p) => (p as { text: string }).text)).toEqual([
      'The persona "ember" was removed, so Muse is the storyteller here again.',
    ]);
    expect(system(t)).not.toContain('dragon');
    const after = await at(guildA2).send('hello again');
    expect(after.parts.filter((p) => p.type === 'notice')).toEqual([]);

    // Server B's persona of the same name is untouched, and server C cannot remove what it cannot see.
    await at(guildB).send('hi');
    expect(system(t)).toContain('A dragon of server B.');
    expect((await at(guildC).send('/persona remove ember')).error?.message).toBe(`There is no persona "ember". Available: ${BUILT_INS}.`);
  });
});
