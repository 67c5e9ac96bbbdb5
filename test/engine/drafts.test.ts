import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { command, type CommandSpec } from '../../src/engine/spec.js';
import { LORE_LABEL } from '../../src/features/lore/index.js';
import { dataBlock } from '../support/prompt.js';
import { channel, makeEngine, replacing, withFeatures } from '../support/engine.js';

const key = conversationKey(channel);

// A command that drafts twice, keeps the second draft, and delivers it with a note.
const twice: CommandSpec = {
  name: 'twice',
  description: 'draft twice',
  options: [{ name: 'topic', description: 'topic', required: true, rest: true }],
  async *run({ options, session }) {
    const request = { turn: session.userTurn(`Write about ${options.topic}`, 'twice') };
    const first = await session.draft(request);
    const second = await session.draft(request, [
      { role: 'assistant', content: first },
      { role: 'user', content: 'Shorter, please.' },
    ]);
    yield* session.deliver(request, second, `kept draft 2 of 2 (first was ${first.length} characters)`);
  },
};

describe('engine: drafts', () => {
  it('drafts are neither shown nor saved; the delivered reply is shown once and saved with its turn', async () => {
    const t = await makeEngine({ features: withFeatures({ name: 'twice', commands: [twice] }) });
    t.backend.push('A long first draft about the sea.', 'Sea.');
    const reply = await t.send('/twice the sea');
    expect(reply.parts.map((p) => p.type)).toEqual(['started', 'message', 'notice', 'done']);
    expect(reply.text).toBe('Sea.');
    expect(reply.parts[2]).toEqual({ type: 'notice', text: 'kept draft 2 of 2 (first was 33 characters)' });
    expect(t.backend.calls[1]!.messages.slice(-3).map((m) => m.content)).toEqual([
      'Alice: Write about the sea',
      'A long first draft about the sea.',
      'Shorter, please.',
    ]);
    const turns = await t.store.getTurns(key, 0, 10);
    expect(turns.map((x) => x.text)).toEqual(['Write about the sea', 'Sea.']);
  });

  it('a failed draft saves nothing', async () => {
    const t = await makeEngine({ features: withFeatures({ name: 'twice', commands: [twice] }) });
    const { ModelError } = await import('../../src/model/types.js');
    t.backend.push('first', new ModelError('timeout', 'The model took too long to answer; please try again.'));
    const reply = await t.send('/twice rain');
    expect(reply.error).toMatchObject({ code: 'model', message: 'The model took too long to answer; please try again.' });
    expect(await t.store.getMeta(key)).toBeUndefined();
  });

  it('fills the lore slot from the provider, within its budget, after the summary', async () => {
    const seen: Array<{ recent: number; next: string; budget: number }> = [];
    // A stand-in for the lore slot (the only slot): it sees the recent turns and the new one.
    const slot = {
      label: LORE_LABEL,
      maxTokens: 600,
      fill: async (_session: unknown, recent: readonly unknown[], next: { text: string }, budget: number) => {
        seen.push({ recent: recent.length, next: next.text, budget });
        return next.text.includes('Ember') ? 'Ember: a red dragon who guards the pass.' : '';
      },
    };
    const t = await makeEngine({ features: replacing({ name: 'lore', context: () => slot }) });
    await t.send('hello');
    expect(t.backend.lastCall!.messages.filter((m) => m.role === 'system')).toHaveLength(1);
    await t.send('I call out to Ember');
    expect(t.backend.lastCall!.messages.filter((m) => m.role === 'system')).toHaveLength(2);
    expect(dataBlock(t.backend.lastCall!.messages, LORE_LABEL)).toBe('Ember: a red dragon who guards the pass.');
    expect(seen).toEqual([
      { recent: 0, next: 'hello', budget: 600 },
      { recent: 2, next: 'I call out to Ember', budget: 600 },
    ]);
  });

  it('rewriteLastReply replaces the last reply and the next turn sees the new text', async () => {
    const rewrite = command({
      name: 'rewrite',
      description: 'rewrite',
      options: [{ name: 'text', description: 'text', required: true, rest: true }],
      async *run({ options, session }) {
        await session.rewriteLastReply(options.text);
        yield* session.say('ok');
      },
    });
    const t = await makeEngine({ features: withFeatures({ name: 'rewrite', commands: [rewrite] }) });
    t.backend.push('Version one.');
    await t.send('go');
    await t.send('/rewrite Version two.');
    await t.send('and then?');
    expect(t.backend.lastCall!.messages.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual(['Version two.']);
    expect((await t.send('/rewrite x', { conversation: { ...channel, channel: 'empty' } })).error?.message).toBe('There is no reply to change yet.');
  });

  it('a command finishes its work before its end part reaches the adapter (which stops reading there)', async () => {
    const after: CommandSpec = {
      name: 'after',
      description: 'work after done',
      options: [],
      async *run({ session }) {
        yield* session.say('shown');
        await session.updateRecord('after:test', () => ({ ran: true }));
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'after', commands: [after] }) });
    const reply = await t.send('/after');
    expect(reply.done).toBeTruthy();
    expect(await t.store.getRecord('after:test')).toEqual({ ran: true });
  });

  it('finalize shapes what is saved, in the same write; a failing finalize saves nothing', async () => {
    const shaped: CommandSpec = {
      name: 'shaped',
      description: 'finalize',
      options: [{ name: 'fail', description: 'fail', choices: [{ value: 'yes', label: 'yes' }] }],
      async *run({ options, session }) {
        yield* session.reply({
          turn: session.userTurn('go', 'shaped'),
          finalize: (text, meta) => {
            if (options.fail) throw new Error('finalize broke');
            return { meta: { ...meta, settings: { ...meta.settings, seen: text.length } }, storedText: text.toUpperCase() };
          },
        });
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'shaped', commands: [shaped] }) });
    t.backend.push('quiet words', 'more words');
    const ok = await t.send('/shaped');
    expect(ok.text).toBe('quiet words');
    expect((await t.store.getTurns(key, 0, 2)).map((x) => x.text)).toEqual(['go', 'QUIET WORDS']);
    expect((await t.store.getMeta(key))!.settings).toEqual({ seen: 11 });
    const failed = await t.send('/shaped fail:yes');
    expect(failed.error?.code).toBe('internal');
    expect(failed.error?.partial).toBe(true);
    expect((await t.store.getMeta(key))!.count).toBe(2);
  });
});
