import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/engine/actions.js';
import { WRITING_MARKER } from '../../src/adapters/discord/render.js';
import { MEMBER_PERMS } from '../support/fake-discord.js';
import { startHarness, type Harness, runInteraction } from './harness.js';

const run = runInteraction;

describe('discord slash commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/story new opens a thread named after the premise and streams the beat there with buttons', async () => {
    h.backend.push({ parts: ['Once upon ', 'a time, ', 'a fox looked up.'], delayMs: 30 });
    const premise = 'A fox who stole the moon';
    const { deferral, replies } = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'new', options: { premise } }));
    expect(deferral.body).toMatchObject({ type: 5 });
    expect(deferral.body.data.flags & 64).toBe(0);
    const created = h.fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${h.fake.channelId}/threads`);
    expect(created?.body).toMatchObject({ name: premise, type: 11 });
    const threadId = [...h.fake.channels.values()].find((c) => c.type === 11 && c.name === premise)!.id as string;
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toContain(`<#${threadId}>`);

    const [beat, ...rest] = h.fake.messagesIn(threadId);
    expect(rest).toHaveLength(0);
    expect(beat!.content).toBe('Once upon a time, a fox looked up.');
    const ids = beat!.components.flatMap((row: any) => row.components.map((b: any) => b.custom_id));
    expect(ids).toEqual([
      encodeAction({ command: 'story', sub: 'continue' }),
      encodeAction({ command: 'story', sub: 'retry' }),
      encodeAction({ command: 'story', sub: 'undo' }),
    ]);
    // Streamed: a visible marker while writing, then edits of the same message.
    const writes = h.fake.requests.filter((r) => r.path.startsWith(`/channels/${threadId}/messages`));
    expect(writes[0]!.body.content).toContain(WRITING_MARKER);
    expect(writes.filter((r) => r.method === 'PATCH').length).toBeGreaterThanOrEqual(2);
    expect(writes.some((r) => r.body.content.includes('Once upon') && r.body.content.includes(WRITING_MARKER))).toBe(true);
    expect(h.backend.lastCall!.messages.at(-1)!.content).toContain('Premise: A fox who stole the moon');
  });

  it('a button under the beat continues the story in that thread through the engine', async () => {
    const threadId = [...h.fake.channels.values()].find((c) => c.type === 11)!.id as string;
    const beat = h.fake.messagesIn(threadId)[0]!;
    h.backend.push('The moon blinked.');
    const { replies } = await run(h, () => h.fake.click({ message: beat, customId: encodeAction({ command: 'story', sub: 'continue' }) }));
    expect(replies.map((r) => r.content)).toEqual(['The moon blinked.']);
    expect(replies[0]!.channel_id).toBe(threadId);
    expect(h.backend.lastCall!.messages.at(-1)!.content).toContain('Continue the story.');
    // The story's earlier beat is in the context: same conversation (the thread).
    expect(h.backend.lastCall!.messages.some((m) => m.content.includes('a fox looked up'))).toBe(true);
  });

  it('/story new stays in the channel when Muse may not create threads', async () => {
    h.backend.push('A short tale.');
    const { replies } = await run(h, () =>
      h.fake.slash({ name: 'story', subcommand: 'new', options: { premise: 'No threads here' }, appPermissions: MEMBER_PERMS }),
    );
    expect(h.fake.requests.filter((r) => r.path.endsWith('/threads'))).toHaveLength(1);
    expect(replies[0]!.content).toBe('A short tale.');
    expect(replies[0]!.components[0].components).toHaveLength(3);
  });

  it('/poem passes the chosen form to the poet', async () => {
    h.backend.push('leaves fall\nsoftly');
    const before = h.backend.calls.length;
    const { replies } = await run(h, () => h.fake.slash({ name: 'poem', options: { topic: 'autumn leaves', form: 'haiku' } }));
    // The poem, then the form check as a subtext line (poems in a form are checked and repaired).
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toMatch(/^leaves fall\nsoftly\n-# haiku: /);
    expect(h.backend.calls[before]!.messages.at(-1)!.content).toContain('haiku');
    expect(h.backend.calls[before]!.messages.at(-1)!.content).toContain('autumn leaves');
  });

  it('/tutor in a server opens the session in DMs and says so ephemerally', async () => {
    h.backend.push('What do you already know about fractions?');
    const { deferral, replies } = await run(h, () => h.fake.slash({ name: 'tutor', subcommand: 'start', options: { subject: 'fractions' } }));
    expect(deferral.body.data.flags & 64).toBe(64);
    expect(h.fake.requests.some((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body.recipient_id === h.fake.alice.id)).toBe(true);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toMatch(/direct messages/);
    const dm = h.fake.dmWith(h.fake.alice.id)!;
    expect(h.fake.messagesIn(dm).map((m) => m.content)).toEqual(['What do you already know about fractions?']);
  });

  it('/persona list and /persona use (with Manage Channels)', async () => {
    const list = await run(h, () => h.fake.slash({ name: 'persona', subcommand: 'list' }));
    for (const name of ['storyteller', 'poet', 'tutor']) expect(list.replies[0]!.content).toContain(name);
    const use = await run(h, () => h.fake.slash({ name: 'persona', subcommand: 'use', options: { name: 'poet' } }));
    expect(use.deferral.body.data.flags & 64).toBe(0);
    expect(use.replies[0]!.content).toMatch(/^Muse is now the poet here\./);
  });

  it('persona names autocomplete', async () => {
    const { token } = h.fake.slash({ name: 'persona', subcommand: 'use', options: { name: 'po' }, focused: 'name' });
    const cb = await h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    expect(cb.body.type).toBe(8);
    expect(cb.body.data.choices.map((c: any) => c.value)).toContain('poet');
  });

  it('/persona show is private and one message Discord accepts, however long the prompt', async () => {
    const card = { spec: 'chara_card_v2', data: { name: 'Ember', description: 'A dragon. '.repeat(700), first_mes: 'Ember wakes.' } };
    const imported = await run(h, () =>
      h.fake.slash({
        name: 'persona',
        subcommand: 'import',
        attachments: { file: { name: 'ember.json', contentType: 'application/json', content: Buffer.from(JSON.stringify(card)) } },
      }),
    );
    expect(imported.replies[0]!.content).toMatch(/^Imported Ember as the persona "ember" for this server/);
    const { deferral, replies } = await run(h, () => h.fake.slash({ name: 'persona', subcommand: 'show', options: { name: 'ember' }, user: h.fake.bob }));
    expect(deferral.body.data.flags & 64).toBe(64);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.flags & 64).toBe(64);
    expect(replies[0]!.content.length).toBeLessThanOrEqual(2000);
    expect(replies[0]!.content).toMatch(/^ember \(chat\): [\s\S]*…\(\d[\d,]* more characters\)$/);
  });

  it('/persona use without Manage Channels is refused ephemerally; the configured role is enough', async () => {
    const refused = await run(h, () => h.fake.slash({ name: 'persona', subcommand: 'use', options: { name: 'tutor' }, user: h.fake.bob }));
    expect(refused.deferral.body.data.flags & 64).toBe(64);
    expect(refused.replies.map((r) => r.content)).toEqual([expect.stringMatching(/^⚠️ Only people who can manage this channel may use \/persona use here\.$/)]);
    const byRole = await run(h, () => h.fake.slash({ name: 'memory', subcommand: 'clear', user: h.fake.bob, roles: [h.fake.managerRoleId] }));
    expect(byRole.replies[0]!.content).toBe('Muse has forgotten this conversation.');
  });

  it('/memory show, /memory clear and /help', async () => {
    await run(h, () => h.fake.slash({ name: 'persona', subcommand: 'use', options: { name: 'poet' } }));
    const show = await run(h, () => h.fake.slash({ name: 'memory', subcommand: 'show' }));
    expect(show.replies[0]!.content).toContain('Persona: poet');
    const cleared = await run(h, () => h.fake.slash({ name: 'memory', subcommand: 'clear' }));
    expect(cleared.replies[0]!.content).toBe('Muse has forgotten this conversation.');
    const help = await run(h, () => h.fake.slash({ name: 'help' }));
    expect(help.replies[0]!.content).toContain('/story new <premise> [persona]');
  });

  it('an error from a command is ephemeral even after a public deferral', async () => {
    const { token, deferral, replies } = await run(h, () => h.fake.slash({ name: 'story', subcommand: 'undo', channelId: h.fake.channelId }));
    expect(deferral.body.data.flags & 64).toBe(0);
    expect(h.fake.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/${token}/messages/@original`))).toBe(true);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.flags & 64).toBe(64);
    expect(replies[0]!.content).toMatch(/nothing to undo/);
  });

  it('a long private answer (/lore list in a channel) arrives whole, in pieces Discord accepts', async () => {
    const texts: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const text = `entry ${i} ${'is a place in the old forest where the lanterns never go out '.repeat(2)}`.trim();
      texts.push(text);
      await run(h, () => h.fake.slash({ name: 'lore', subcommand: 'add', options: { key: `Place${i}`, text } }));
    }
    const { replies } = await run(h, () => h.fake.slash({ name: 'lore', subcommand: 'list' }));
    const privateReplies = replies.filter((r) => (r.flags & 64) === 64);
    expect(privateReplies.length).toBeGreaterThan(1);
    for (const r of privateReplies) expect(r.content.length).toBeLessThanOrEqual(2000);
    const all = privateReplies.map((r) => r.content).join('');
    for (let i = 1; i <= 30; i++) expect(all).toContain(`Place${i}`);
    expect(h.fake.requests.filter((r) => r.status === 400)).toHaveLength(0);
  });

  it('takes typed options as Discord sends them: a boolean, a whole number', async () => {
    const added = await run(h, () => h.fake.slash({ name: 'lore', subcommand: 'add', options: { key: 'Ember', text: 'A red dragon.', always: true } }));
    expect(added.replies[0]!.content).toBe('Lore added: Ember [always on]: A red dragon.');
    const quiz = await run(h, () => h.fake.slash({ name: 'tutor', subcommand: 'quiz', options: { questions: 9 } }));
    expect(quiz.replies.map((r) => [r.content, r.flags & 64])).toEqual([['⚠️ The questions is a whole number from 1 to 5, not "9".', 64]]);
  });

  it('every message payload disables pings', () => {
    const payloads = h.fake.messagePayloads();
    expect(payloads.length).toBeGreaterThan(10);
    for (const p of payloads) expect(p.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
