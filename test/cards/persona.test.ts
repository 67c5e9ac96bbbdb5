import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../../src/engine/session.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { makeEngine, PERSONAS_DIR } from '../support/engine.js';
import { cardPng } from './png-fixture.js';

const CARDS = join(import.meta.dirname, '../fixtures/cards');
const card = (name: string): Attachment => ({ name, data: readFileSync(join(CARDS, name)) });
const dirs: string[] = [];

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'muse-personas-'));
  dirs.push(dir);
  cpSync(PERSONAS_DIR, dir, { recursive: true });
  const personas = new PersonaRegistry([dir], { recheckMs: 60_000 });
  return { dir, personas, t: await makeEngine({ personas }) };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('persona import', () => {
  it('turns a V2 card into a persona that persona list shows and persona use switches to', async () => {
    const { dir, t } = await setup();
    const reply = await t.send('/persona import', { attachments: [card('mira-v2.json')] });
    expect(reply.error).toBeUndefined();
    expect(reply.text).toMatch(
      /^Imported Mira Quickfingers as the persona "mira-quickfingers" \(mira-quickfingers\.md\); switch to it with \/persona use mira-quickfingers\. Its lore \(character_book\) can be added with \/lore import\.$/,
    );
    expect((await t.send('/persona list')).text).toContain('• mira-quickfingers (chat): Plays Mira Quickfingers (imported character card).');
    const use = await t.send('/persona use mira-quickfingers');
    expect(use.text).toBe(
      "Muse is now the mira-quickfingers here. *Mira Quickfingers drops from the rafters.* Oh! It's you, the player. Don't tell the guard.",
    );
    await t.send('Hello Mira.');
    const system = t.backend.lastCall!.messages[0]!.content;
    expect(system).toContain('You are Mira Quickfingers. Stay in character');
    expect(system).toContain("Write Mira Quickfingers's replies in the first person.");
    expect(system).toContain('About Mira Quickfingers:\nMira Quickfingers is a halfling thief from Harbor Town who owes the player a favour.');
    expect(system).toContain('Personality:\ncheeky, loyal, afraid of deep water');
    expect(system).toContain('Scenario:\nthe player finds Mira Quickfingers hiding in the lighthouse.');
    expect(system).toContain('Examples of how Mira Quickfingers speaks:\n<START>\nthe player: Where were you?');
    expect(system).toContain('Always:\nKeep replies under 150 words.');
    expect(system).not.toMatch(/\{\{|\}\}/);
    // Unknown fields are kept: the whole card beside the persona file, named in its front matter.
    const md = readFileSync(join(dir, 'mira-quickfingers.md'), 'utf8');
    expect(md).toMatch(/^---\n[\s\S]*\ncard: mira-quickfingers\.card\.json\n---\n/);
    expect(JSON.parse(readFileSync(join(dir, 'mira-quickfingers.card.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(CARDS, 'mira-v2.json'), 'utf8')));
  });

  it('imports V3 cards from PNG (ccv3) and V2 from PNG (chara), with a chosen name and mode', async () => {
    const { t } = await setup();
    const kai = await t.send('/persona import name:keeper mode:story', { attachments: [card('kai-v3.png')] });
    expect(kai.text).toMatch(/^Imported Kai as the persona "keeper"/);
    const mira = await t.send('/persona import', { attachments: [card('mira-v2.png')] });
    expect(mira.text).toMatch(/^Imported Mira Quickfingers as the persona "mira-quickfingers"/);
    const list = (await t.send('/persona list')).text;
    expect(list).toContain('• keeper (story): Plays Kai (imported character card).');
    expect(list).not.toContain('✗');
    expect((await t.send('/persona use keeper')).text).toBe('Muse is now the keeper here. Come in out of the rain, the player. Kai has been expecting you.');
  });

  it('re-importing a card replaces its persona, but a hand-written persona is never overwritten', async () => {
    const { dir, t } = await setup();
    await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    const again = await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    expect(again.error).toBeUndefined();
    const clash = await t.send('/persona import name:storyteller', { attachments: [card('kai-v3.json')] });
    expect(clash.error?.message).toBe('There is already a persona named "storyteller"; import the card under another name with name:, nothing was imported.');
    expect(readFileSync(join(dir, 'storyteller.md'), 'utf8')).toBe(readFileSync(join(PERSONAS_DIR, 'storyteller.md'), 'utf8'));
    expect(existsSync(join(dir, 'storyteller.card.json'))).toBe(false);
  });

  it('shortens a first message longer than a greeting may be, and names CJK-only cards by a hash', async () => {
    const { dir, t } = await setup();
    const long = JSON.stringify({
      spec: 'chara_card_v2',
      data: { name: '小龙', description: '{{char}}是一条龙。', first_mes: `${'很长的开场白。'.repeat(200)}` },
    });
    const reply = await t.send('/persona import', { attachments: [{ name: 'long.png', data: cardPng('chara', long) }] });
    expect(reply.text).toMatch(/^Imported 小龙 as the persona "card-[0-9a-f]{6}" .* Its first message was shortened to fit a greeting/);
    const name = /"(card-[0-9a-f]{6})"/.exec(reply.text)![1]!;
    const persona = (await t.send(`/persona show ${name}`)).text;
    expect(persona).toContain('About 小龙:\n小龙是一条龙。');
    const greeting = /Greeting: (.*)/.exec(persona)![1]!;
    expect(greeting.length).toBeLessThanOrEqual(1000);
    expect(greeting.endsWith('。…')).toBe(true);
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith(name))
        .sort(),
    ).toEqual([`${name}.card.json`, `${name}.md`]);
  });

  it('needs a manager in a shared channel, and is refused in DMs (except the terminal)', async () => {
    const { dir, t } = await setup();
    const reply = await t.send('/persona import', { attachments: [card('kai-v3.json')], canManage: () => false });
    expect(reply.error?.code).toBe('forbidden');
    expect(existsSync(join(dir, 'kai.md'))).toBe(false);
    const dm = await t.send('/persona import', {
      attachments: [card('kai-v3.json')],
      conversation: { platform: 'discord', workspace: '@me', channel: 'd1', dm: true },
    });
    expect(dm.error).toMatchObject({
      code: 'forbidden',
      message: 'Personas are shared by every channel Muse serves, so they can be imported only in a channel you manage, not in a DM.',
    });
    expect(existsSync(join(dir, 'kai.md'))).toBe(false);
  });

  it('malformed cards get one sentence and leave no file behind', async () => {
    const { dir, t } = await setup();
    const before = readdirSync(dir).sort();
    const cases: Array<[Attachment, string]> = [
      [
        { name: 'w.json', data: readFileSync(join(import.meta.dirname, '../fixtures/worldinfo/harbor-town.json')) },
        'Could not import w.json: it is not a character card (no chara_card_v2/v3 spec, no name); nothing was imported.',
      ],
      [
        { name: 'c.json', data: Buffer.from('{"spec":"chara_card_v3","data":{"name":"  "}}') },
        'Could not import c.json: the card has no name; nothing was imported.',
      ],
      [
        { name: 'c.json', data: Buffer.from('{"spec":"chara_card_v2","data":{"name":"X","first_mes":["hi"]}}') },
        'Could not import c.json: the card\'s "first_mes" is not text; nothing was imported.',
      ],
      [
        { name: 'c.png', data: cardPng('ccv3', '{"spec":"chara_card_v3"').subarray(0, 50) },
        'Could not import c.png: the PNG is cut off (its tEXt chunk runs past the end of the file); nothing was imported.',
      ],
    ];
    for (const [attachment, message] of cases) {
      expect((await t.send('/persona import', { attachments: [attachment] })).error?.message).toBe(message);
    }
    expect((await t.send('/persona import name:Bad!Name', { attachments: [card('kai-v3.json')] })).error?.message).toBe(
      'The name "Bad!Name" cannot be a persona name: use 1-32 lowercase letters, digits, - or _.',
    );
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('takes the card JSON back when the persona file cannot be written', async () => {
    const { dir, t } = await setup();
    // A directory where the persona file's temporary copy goes makes that write fail.
    mkdirSync(join(dir, `kai.md.${process.pid}.tmp`));
    const reply = await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    expect(reply.error?.message).toBe('Muse could not save the persona file (EISDIR); nothing was imported.');
    expect(reply.error?.message).not.toContain(relative(process.cwd(), dir));
    expect(existsSync(join(dir, 'kai.card.json'))).toBe(false);
    expect(existsSync(join(dir, 'kai.md'))).toBe(false);
  });
});
