import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import type { EngineObserver } from '../../src/engine/observer.js';
import { mapCommitIf, type CommitOutcome } from '../../src/memory/commit.js';
import { openCoordination, registerCoordination } from '../../src/memory/coordination.js';
import { plainKeys } from '../../src/memory/keys.js';
import { KeyvConversationStore } from '../../src/memory/keyv-store.js';
import { localCoordination } from '../../src/memory/local-coordination.js';
import { LocalLeases } from '../../src/memory/local-leases.js';
import { openStore } from '../../src/memory/open-store.js';
import { mapRecordCas } from '../../src/memory/records.js';
import { FakeBackend } from '../../src/model/fake.js';
import { bob, channel, collect, makeEngine } from '../support/engine.js';
import { stall } from '../memory/lease-contract.js';

const key = conversationKey(channel);
const users = (t: { backend: FakeBackend }) =>
  t.backend.lastCall!.messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => `${m.role}: ${m.content}`);
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

/** Counts what the engine reports. */
function counter() {
  const seen = { waits: [] as string[], lost: 0, conflicts: [] as string[], turns: [] as string[], started: 0 };
  const observer: EngineObserver = {
    leaseWait: (_ms, outcome) => seen.waits.push(outcome),
    leaseLost: () => seen.lost++,
    casConflict: (what) => seen.conflicts.push(what),
    turnStarted: () => seen.started++,
    turnEnded: (outcome) => seen.turns.push(outcome),
  };
  return { seen, observer };
}

describe('engine: conversations under a lease, commits fenced by it', () => {
  it('says busy in one sentence when another process holds the conversation past the wait, and saves nothing', async () => {
    const store = await openStore('memory://');
    const t = await makeEngine({ store, limits: { leaseWaitMs: 50 } });
    const { seen, observer } = counter();
    t.engine.observe(observer);
    const other = await openCoordination(store).leases.acquire(key, { ttlMs: 10_000, waitMs: 0 });
    const reply = await t.send('hello?');
    expect(reply.error).toEqual({
      type: 'error',
      code: 'busy',
      message: 'Muse is still busy with another reply in this conversation; please try again in a moment.',
    });
    expect(t.backend.calls).toHaveLength(0);
    expect(await store.getMeta(key)).toBeUndefined();
    await other.release();
    expect((await t.send('hello again')).done).toBeTruthy();
    expect(seen.waits).toEqual(['busy', 'acquired']);
    expect(seen.turns).toEqual(['busy', 'done']);
    expect(seen.started).toBe(2);
  });

  it('aborts the model call when the lease is lost mid-reply: one sentence, nothing saved, and the next turn is served', async () => {
    const backend = new FakeBackend();
    const t = await makeEngine({ backend, limits: { leaseTtlMs: 300 } });
    const { seen, observer } = counter();
    t.engine.observe(observer);
    let release!: () => void;
    backend.push({ parts: ['Once upon ', 'a time'], after: new Promise<void>((r) => (release = r)) });
    const pending = t.send('tell me a story');
    await until(() => backend.calls.length === 1);
    stall(450); // the process stops past its lease: no renewal gets through
    const reply = await pending;
    release();
    expect(backend.calls[0]!.signal?.aborted).toBe(true);
    expect(reply.error).toMatchObject({
      code: 'busy',
      message: 'This took so long that Muse had to hand the conversation on, so nothing of it was saved; please try again.',
    });
    expect(await t.store.getMeta(key)).toBeUndefined();
    expect(seen.lost).toBe(1);
    backend.push('A fresh start.');
    expect((await t.send('again')).text).toBe('A fresh start.');
    expect(users(t)).toEqual(['user: Alice: again']);
  });

  it('refuses a commit when something else wrote the conversation meanwhile: one sentence, nothing saved, the other write read next', async () => {
    const backend = new FakeBackend();
    const t = await makeEngine({ backend });
    const { seen, observer } = counter();
    t.engine.observe(observer);
    backend.push('First reply.');
    await t.send('first');
    let release!: () => void;
    backend.push({ parts: ['Second ', 'reply.'], after: new Promise<void>((r) => (release = r)) });
    const pending = t.send('second');
    await until(() => backend.calls.length === 2);
    // A writer that ignores the lease (an old process, a script) appends a turn of its own.
    const meta = (await t.store.getMeta(key))!;
    const foreign = { role: 'user' as const, userId: 'u-x', name: 'Xena', text: 'written elsewhere', at: 1 };
    await t.store.append(key, { ...meta, count: meta.count + 1, rev: 'foreign' }, [foreign]);
    release();
    const reply = await pending;
    expect(reply.text).toBe('Second reply.');
    expect(reply.error).toMatchObject({
      code: 'busy',
      partial: true,
      message: 'Something else changed this conversation at the same moment, so nothing was saved; please try again. (The reply above was not saved.)',
    });
    expect(seen.conflicts).toEqual(['commit']);
    expect((await t.store.getMeta(key))!.rev).toBe('foreign');
    backend.push('Third reply.');
    await t.send('third');
    expect(users(t)).toEqual(['user: Alice: first', 'assistant: First reply.', 'user: Xena: written elsewhere', 'user: Alice: third']);
  });

  it('a commit that times out in the client and lands late cannot overwrite the newer turn', async () => {
    // A memory store whose first commit is held back past the store timeout, then lets it land.
    const map = new Map<string, unknown>();
    const keys = plainKeys('muse');
    const leases = new LocalLeases(keys.lease, () => {});
    const commit = mapCommitIf(map, leases.holds);
    let landLate!: () => void;
    const late = new Promise<void>((r) => (landLate = r));
    let first = true;
    let lateOutcome: CommitOutcome | undefined;
    const store = new KeyvConversationStore(new Keyv({ store: map, namespace: undefined, useKeyPrefix: false }), {
      namespace: 'muse',
      timeoutMs: 100,
      commitIf: async (write) => {
        if (!first) return commit(write);
        first = false;
        await late;
        lateOutcome = await commit(write);
        return lateOutcome;
      },
    });
    const coordination = localCoordination({ store, leases, cas: mapRecordCas(map), keys, timeoutMs: 100 }, { kind: 'memory' });
    registerCoordination(store, coordination);
    const t = await makeEngine({ store });
    t.backend.push('Reply to the slow one.', 'Reply to Bob.');
    const slow = await t.send('the slow one');
    expect(slow.error).toMatchObject({ code: 'store', partial: true });
    expect((await t.send('newer turn', { speaker: bob })).done).toBeTruthy();
    landLate();
    await until(() => lateOutcome !== undefined);
    expect(lateOutcome).not.toBe('written');
    const meta = (await store.getMeta(key))!;
    expect(meta.count).toBe(2);
    expect((await store.getTurns(key, 0, meta.count)).map((x) => x.text)).toEqual(['newer turn', 'Reply to Bob.']);
  });

  it('gives every write of the meta a new rev: a command that changes settings, and a summary', async () => {
    const isSummary = (c: { messages: Array<{ content: string }> }) => c.messages[0]!.content.startsWith('You keep the running summary');
    const backend = new FakeBackend({ fallback: (req) => (isSummary(req) ? 'SUMMARY' : 'ok') });
    const t = await makeEngine({ backend, limits: { maxContextTurns: 2, summaryBatch: 2 } });
    await t.send('one');
    const before = (await t.store.getMeta(key))!.rev;
    await t.send('/persona use poet');
    const afterPersona = (await t.store.getMeta(key))!.rev;
    expect(afterPersona).not.toBe(before);
    await t.send('two');
    await t.send('three');
    const beforeSummary = (await t.store.getMeta(key))!;
    await t.engine.idle();
    const summarized = (await t.store.getMeta(key))!;
    expect(summarized.summary).toBe('SUMMARY');
    expect(summarized.summarizedUpTo).toBeGreaterThan(beforeSummary.summarizedUpTo);
    expect(summarized.rev).not.toBe(beforeSummary.rev);
  });

  it('keeps turns of one conversation in arrival order across two processes, each saved once', async () => {
    const store = await openStore('memory://');
    const a = await makeEngine({ store, backend: new FakeBackend({ fallback: (req) => `A: ${req.messages.at(-1)!.content}` }) });
    const b = await makeEngine({ store, backend: new FakeBackend({ fallback: (req) => `B: ${req.messages.at(-1)!.content}` }) });
    const words = Array.from({ length: 12 }, (_, n) => `w${n}`);
    const replies = await Promise.all(words.map((w, n) => collect((n % 2 ? a : b).engine.handle({ conversation: channel, speaker: bob, text: w }))));
    expect(replies.every((r) => r.done)).toBe(true);
    const meta = (await store.getMeta(key))!;
    expect(meta.count).toBe(24);
    const turns = await store.getTurns(key, 0, 24);
    const asked = turns.filter((x) => x.role === 'user').map((x) => x.text);
    expect([...asked].sort()).toEqual([...words].sort());
    // Every reply answers the question right before it.
    for (let i = 0; i < 24; i += 2) expect(turns[i + 1]!.text).toMatch(new RegExp(`: Bob: ${turns[i]!.text}$`));
  });
});
