import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantOf } from '../../src/engine/conversation.js';
import type { Attachment } from '../../src/engine/session.js';
import { openCoordination, type Coordination } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import { StoreUnavailableError, type ConversationStore } from '../../src/memory/types.js';
import { ImportedPersonas } from '../../src/personas/imported.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { alice, channel, makeEngine, PERSONAS_DIR } from '../support/engine.js';
import { cardPng } from './png-fixture.js';

const CARDS = join(import.meta.dirname, '../fixtures/cards');
const card = (name: string): Attachment => ({ name, data: readFileSync(join(CARDS, name)) });
const tenant = tenantOf(channel, alice.id);
const dirs: string[] = [];

async function setup(store?: ConversationStore, coordination?: Coordination) {
  const dir = mkdtempSync(join(tmpdir(), 'muse-personas-'));
  dirs.push(dir);
  cpSync(PERSONAS_DIR, dir, { recursive: true });
  const personas = new PersonaRegistry([dir], { recheckMs: 60_000 });
  const t = await makeEngine({ personas, ...(store ? { store } : {}), ...(coordination ? { coordination } : {}) });
  return { dir, t, imported: new ImportedPersonas(t.store) };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('persona import', () => {
  it('turns a V2 card into a persona that persona list shows and persona use switches to', async () => {
    const { t, imported } = await setup();
    const reply = await t.send('/persona import', { attachments: [card('mira-v2.json')] });
    expect(reply.error).toBeUndefined();
    expect(reply.text).toBe(
      'Imported Mira Quickfingers as the persona "mira-quickfingers" for this workspace; switch to it with /persona use mira-quickfingers. Its lore (character_book) can be added with /lore import.',
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
    // Unknown fields are kept: the whole card, in the store with the persona.
    expect(JSON.parse((await imported.card(tenant, 'mira-quickfingers'))!)).toEqual(JSON.parse(readFileSync(join(CARDS, 'mira-v2.json'), 'utf8')));
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

  it('re-importing a card replaces its persona, and a built-in persona file is never touched', async () => {
    const { dir, t } = await setup();
    await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    const again = await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    expect(again.text).toMatch(/^Imported Kai as the persona "kai" \(replacing the earlier import\)/);
    const files = readdirSync(dir).sort();
    const clash = await t.send('/persona import name:storyteller', { attachments: [card('kai-v3.json')] });
    expect(clash.error?.message).toBe('"storyteller" is a built-in persona; import the card under another name with name:, nothing was imported.');
    expect(readFileSync(join(dir, 'storyteller.md'), 'utf8')).toBe(readFileSync(join(PERSONAS_DIR, 'storyteller.md'), 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(files);
  });

  it('shortens a first message longer than a greeting may be, and names CJK-only cards by a hash', async () => {
    const { t, imported } = await setup();
    const long = JSON.stringify({
      spec: 'chara_card_v2',
      data: { name: '小龙', description: '{{char}}是一条龙。', first_mes: `${'很长的开场白。'.repeat(200)}` },
    });
    const reply = await t.send('/persona import', { attachments: [{ name: 'long.png', data: cardPng('chara', long) }] });
    expect(reply.text).toMatch(/^Imported 小龙 as the persona "card-[0-9a-f]{6}" .* Its first message was shortened to fit a greeting/);
    const name = /"(card-[0-9a-f]{6})"/.exec(reply.text)![1]!;
    expect((await t.send(`/persona show ${name}`)).text).toContain('About 小龙:\n小龙是一条龙。');
    const greeting = (await imported.get(tenant, name))!.greeting;
    expect(greeting.length).toBeLessThanOrEqual(1000);
    expect(greeting.endsWith('。…')).toBe(true);
  });

  it('needs a manager in a shared channel', async () => {
    const { t, imported } = await setup();
    const reply = await t.send('/persona import', { attachments: [card('kai-v3.json')], canManage: () => false });
    expect(reply.error?.code).toBe('forbidden');
    expect(await imported.list(tenant)).toEqual([]);
  });

  it('malformed cards get one sentence and import nothing', async () => {
    const { t, imported } = await setup();
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
    expect(await imported.list(tenant)).toEqual([]);
  });

  it('keeps a card too large to keep whole without its character_book, and refuses one too large even then', async () => {
    const { t, imported } = await setup();
    const entries = Array.from({ length: 400 }, (_, i) => ({ keys: [`place${i}`], content: 'A place in the old forest. '.repeat(30), enabled: true }));
    const big = { spec: 'chara_card_v2', data: { name: 'Sage', description: 'A sage.', first_mes: 'Hello.', character_book: { entries } } };
    const kept = await t.send('/persona import', { attachments: [{ name: 'sage.json', data: Buffer.from(JSON.stringify(big)) }] });
    expect(kept.text).toContain('The card was kept without its character_book, which is too large to keep with it.');
    expect(JSON.parse((await imported.card(tenant, 'sage'))!)).toEqual({
      spec: 'chara_card_v2',
      data: { name: 'Sage', description: 'A sage.', first_mes: 'Hello.' },
    });
    const huge = { spec: 'chara_card_v2', data: { name: 'Scroll', description: 'short', first_mes: 'Hi.', creator_notes: 'n'.repeat(300_000) } };
    const refused = await t.send('/persona import', { attachments: [{ name: 'scroll.json', data: Buffer.from(JSON.stringify(huge)) }] });
    const kb = Math.ceil(JSON.stringify(huge).length / 1024);
    expect(kb).toBeGreaterThan(256);
    expect(refused.error?.message).toBe(`This card holds ${kb} KB of text; Muse keeps cards of at most 256 KB, so nothing was imported.`);
    expect((await imported.list(tenant)).map((p) => p.name)).toEqual(['sage']);
  });
});

describe('persona import when the store fails midway', () => {
  /** The memory store, whose record writes fail for keys starting with `failing` (when set); records every key written and deleted. */
  async function flakyStore() {
    const base = await openStore('memory://');
    const log = { written: [] as string[], deleted: [] as string[], failing: undefined as string | undefined };
    const store = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'setRecord')
          return async (key: string, value: unknown) => {
            if (log.failing && key.startsWith(log.failing)) throw new StoreUnavailableError();
            log.written.push(key);
            await target.setRecord(key, value);
          };
        if (prop === 'deleteRecord')
          return async (key: string) => {
            log.deleted.push(key);
            await target.deleteRecord(key);
          };
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    // Leases and jobs stay on the memory store's own coordination; the proxy only fails record writes.
    return { store, log, coordination: openCoordination(base) };
  }

  it('takes back what it wrote: nothing is half-imported, and a replaced persona stays as it was', async () => {
    const { store, log, coordination } = await flakyStore();
    const { t, imported } = await setup(store, coordination);
    const storeDown = "Muse can't reach its memory store right now, so nothing was saved; please try again in a moment.";
    log.failing = 'persona:';
    expect((await t.send('/persona import', { attachments: [card('kai-v3.json')] })).error?.message).toBe(storeDown);
    log.failing = 'personas:';
    expect((await t.send('/persona import', { attachments: [card('kai-v3.json')] })).error?.message).toBe(storeDown);
    expect(await imported.get(tenant, 'kai')).toBeUndefined();
    expect(await imported.list(tenant)).toEqual([]);
    const cards = log.written.filter((k) => k.startsWith('persona-card:'));
    expect(cards).toHaveLength(2);
    for (const key of cards) expect(log.deleted).toContain(key);

    log.failing = undefined;
    await t.send('/persona import', { attachments: [card('kai-v3.json')] });
    const before = await imported.get(tenant, 'kai');
    log.failing = 'personas:';
    const kai = JSON.parse(readFileSync(join(CARDS, 'kai-v3.json'), 'utf8')) as { data: Record<string, unknown> };
    const changed = { ...kai, data: { ...kai.data, description: 'Someone else entirely.' } };
    const reply = await t.send('/persona import', { attachments: [{ name: 'kai.json', data: Buffer.from(JSON.stringify(changed)) }] });
    expect(reply.error?.message).toBe(storeDown);
    expect(await imported.get(tenant, 'kai')).toEqual(before);
    expect((await imported.card(tenant, 'kai'))!).not.toContain('Someone else entirely.');
  });
});
