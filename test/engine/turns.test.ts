import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { ModelError } from '../../src/model/types.js';
import { StoreUnavailableError, type ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { openCoordination } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import { alice, bob, channel, collect, makeEngine } from '../support/engine.js';

const key = conversationKey(channel);

describe('engine: plain turns', () => {
  it('streams a reply, saves both turns, and carries them into the next turn with speaker names', async () => {
    const t = await makeEngine();
    t.backend.push('The door creaks open.', 'A lantern flickers.');
    const first = await t.send('I open the door');
    expect(first.parts.filter((p) => p.type === 'text').length).toBeGreaterThan(1);
    expect(first.text).toBe('The door creaks open.');
    expect(first.done?.text).toBe('The door creaks open.');
    expect(first.parts.at(-1)?.type).toBe('done');

    await t.send('I light a match', { speaker: bob });
    const messages = t.backend.lastCall!.messages;
    expect(messages[0]!.role).toBe('system');
    expect(messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'Alice: I open the door'],
      ['assistant', 'The door creaks open.'],
      ['user', 'Bob: I light a match'],
    ]);
    const meta = await t.store.getMeta(key);
    expect(meta?.count).toBe(4);
    const turns = await t.store.getTurns(key, 0, 4);
    expect(turns.map((x) => x.name)).toEqual(['Alice', 'Muse', 'Bob', 'Muse']);
  });

  it('handles turns of one conversation one at a time, in arrival order', async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: (req) => `ok ${req.messages.at(-1)!.content}` }) });
    t.backend.push({ parts: ['slow ', 'first'], delayMs: 20 });
    const sends = ['one', 'two', 'three', 'four', 'five'].map((w) => t.send(w));
    const replies = await Promise.all(sends);
    expect(replies.every((r) => r.done)).toBe(true);
    const turns = await t.store.getTurns(key, 0, 10);
    expect(turns.filter((x) => x.role === 'user').map((x) => x.text)).toEqual(['one', 'two', 'three', 'four', 'five']);
    // Each turn saw every earlier one: the fifth call's context holds the four earlier exchanges.
    expect(t.backend.calls[4]!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'Alice: one',
      'Alice: two',
      'Alice: three',
      'Alice: four',
      'Alice: five',
    ]);
  });

  it('does not make one conversation wait for another', async () => {
    let releaseA!: () => void;
    const gate = new Promise<void>((r) => (releaseA = r));
    const backend = new FakeBackend();
    const t = await makeEngine({ backend });
    // A's reply blocks until B's reply has completed.
    const a = collect(
      (async function* () {
        const parts = t.engine.handle({ conversation: channel, speaker: alice, text: 'A speaks' });
        const it = parts[Symbol.asyncIterator]();
        const first = await it.next();
        await gate;
        if (!first.done) yield first.value;
        for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
      })(),
    );
    const b = await collect(t.engine.handle({ conversation: { ...channel, channel: 'c2' }, speaker: bob, text: 'B speaks' }));
    expect(b.done).toBeTruthy();
    releaseA();
    expect((await a).done).toBeTruthy();
  });

  it('saves nothing when the model fails before any text', async () => {
    const t = await makeEngine();
    await t.send('first');
    t.backend.push(new ModelError('server', 'The model server had an error; please try again.'));
    const reply = await t.send('second');
    expect(reply.error).toMatchObject({ code: 'model', message: 'The model server had an error; please try again.', partial: false });
    expect(reply.parts.at(-1)?.type).toBe('error');
    expect((await t.store.getMeta(key))?.count).toBe(2);
  });

  it('saves nothing when the stream breaks mid-reply, and says the shown text was cut off', async () => {
    const t = await makeEngine();
    t.backend.push({ parts: ['Half a ', 'sent', new ModelError('interrupted', "The model's reply was cut off before it finished.")] });
    const reply = await t.send('go on');
    expect(reply.text).toBe('Half a sent');
    expect(reply.error?.partial).toBe(true);
    expect(reply.error?.message).toMatch(/cut off/);
    expect(await t.store.getMeta(key)).toBeUndefined();
    const next = await t.send('again');
    expect(next.done).toBeTruthy();
    expect(t.backend.lastCall!.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual(['Alice: again']);
  });

  it('saves nothing when the turn is aborted', async () => {
    const t = await makeEngine();
    const controller = new AbortController();
    t.backend.push({ parts: ['a', 'b', 'c', 'd'], delayMs: 5 });
    const parts = t.engine.handle({ conversation: channel, speaker: alice, text: 'hello', signal: controller.signal });
    const seen: string[] = [];
    let error;
    for await (const part of parts) {
      if (part.type === 'text') {
        seen.push(part.text);
        controller.abort();
      }
      if (part.type === 'error') error = part;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ code: 'model', partial: true });
    expect(await t.store.getMeta(key)).toBeUndefined();
  });

  it('treats an empty model reply as a failure', async () => {
    const t = await makeEngine();
    t.backend.push('');
    const reply = await t.send('hello');
    expect(reply.error?.code).toBe('model');
    expect(await t.store.getMeta(key)).toBeUndefined();
  });

  it('rejects empty and oversized input with a sentence, before touching the model', async () => {
    const t = await makeEngine();
    const empty = await t.send('   ');
    expect(empty.error).toMatchObject({ code: 'bad_input', message: 'The message is empty; write something for Muse to answer.' });
    const huge = await t.send('x'.repeat(100_000));
    expect(huge.error?.message).toBe(
      'That message is 100,000 characters long; Muse takes at most 4,000 at a time, so nothing was sent. Please split it into shorter messages.',
    );
    expect(t.backend.calls).toHaveLength(0);
  });

  it('reports a store outage as a clear sentence, not as empty memory, and keeps serving', async () => {
    const real = await openStore('memory://');
    let down = false;
    const flaky: ConversationStore = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (down ? Promise.reject(new StoreUnavailableError()) : value.apply(target, args));
      },
    });
    const t = await makeEngine({ store: flaky, coordination: openCoordination(real) });
    await t.send('remember me');
    down = true;
    const reply = await t.send('do you remember?');
    expect(reply.error?.code).toBe('store');
    expect(reply.error?.message).toMatch(/can't reach its memory store/);
    expect(t.backend.calls).toHaveLength(1);
    down = false;
    await t.send('and now?');
    expect(t.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Alice: remember me', 'Alice: and now?']);
  });

  it('keeps the turn out of the store when saving fails after the reply streamed', async () => {
    const real = await openStore('memory://');
    const failingAppend: ConversationStore = Object.assign(Object.create(Object.getPrototypeOf(real)), real, {
      append: () => Promise.reject(new StoreUnavailableError()),
    });
    const t = await makeEngine({ store: failingAppend, coordination: openCoordination(real) });
    const reply = await t.send('hello');
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.error).toMatchObject({ code: 'store', partial: true });
    expect(reply.error?.message).toMatch(/not saved/);
  });

  it("two engines sharing one store (two processes) see each other's turns", async () => {
    const store = await openStore('memory://');
    const a = await makeEngine({ store });
    const b = await makeEngine({ store });
    await a.send('from A, first');
    await b.send('from B', { speaker: bob });
    await a.send('from A, second');
    expect(a.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'Alice: from A, first',
      'Bob: from B',
      'Alice: from A, second',
    ]);
    await b.send('/story undo');
    await a.send('after undo');
    expect(a.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'Alice: from A, first',
      'Bob: from B',
      'Alice: after undo',
    ]);
  });

  it("never serves another process's overwritten turns from its cache", async () => {
    const store = await openStore('memory://');
    const a = await makeEngine({ store });
    const b = await makeEngine({ store });
    await a.send('a1');
    await a.send('a2');
    await b.send('/story undo');
    await b.send('b-new', { speaker: bob });
    await a.send('a3');
    expect(a.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['Alice: a1', 'Bob: b-new', 'Alice: a3']);
  });
});
