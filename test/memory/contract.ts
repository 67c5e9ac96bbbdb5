/**
 * One contract suite for every ConversationStore implementation (the Keyv habit: each storage
 * adapter runs the same tests). Conversation ids are unique per test, so a store backed by a
 * shared file or server can run it repeatedly.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyMeta, StoreConflictError } from '../../src/memory/types.js';
import type { ConversationMeta, ConversationStore, Turn } from '../../src/memory/types.js';

export interface ContractOptions {
  /** makeStore() opens the same backing storage each time, so data survives close/reopen. */
  persistent?: boolean;
}

/** How many commits race on one rev (each through its own store when the storage is shared). */
const RACERS = 16;

export function turn(i: number, text = `turn ${i}`): Turn {
  return i % 2 === 0
    ? { role: 'user', userId: 'u1', name: 'Ada', text, at: 1_700_000_000_000 + i, kind: 'message' }
    : { role: 'assistant', userId: 'muse', name: 'Muse', text, at: 1_700_000_000_000 + i };
}

export function metaAt(count: number, extra: Partial<ConversationMeta> = {}): ConversationMeta {
  return { ...emptyMeta('bard'), count, updatedAt: 1_700_000_000_000 + count, ...extra };
}

export function runStoreContract(name: string, makeStore: () => Promise<ConversationStore>, options: ContractOptions = {}): void {
  describe(`ConversationStore contract: ${name}`, () => {
    const open: ConversationStore[] = [];
    const run = randomUUID().slice(0, 8);
    let seq = 0;
    const conv = (label = 'c'): string => `test:${run}:${seq++}:${label}`;
    const store = async (): Promise<ConversationStore> => {
      const s = await makeStore();
      open.push(s);
      return s;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    it('reads an unknown conversation as empty', async () => {
      const s = await store();
      const c = conv();
      expect(await s.getMeta(c)).toBeUndefined();
      expect(await s.getTurns(c, 0, 10)).toEqual([]);
    });

    it('reads back appended turns in order with the meta', async () => {
      const s = await store();
      const c = conv();
      const meta = metaAt(3, { summary: 'so far', settings: { subject: 'maths', nested: { level: 2, tags: ['a', 'b'] } } });
      await s.append(c, meta, [turn(0), turn(1), turn(2)]);
      expect(await s.getMeta(c)).toEqual(meta);
      expect(await s.getTurns(c, 0, 3)).toEqual([turn(0), turn(1), turn(2)]);
    });

    it('returns exactly the turns inside [from, to) and skips missing indexes', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(4), [turn(0), turn(1), turn(2), turn(3)]);
      expect(await s.getTurns(c, 1, 3)).toEqual([turn(1), turn(2)]);
      expect(await s.getTurns(c, 3, 4)).toEqual([turn(3)]);
      expect(await s.getTurns(c, 2, 2)).toEqual([]);
      expect(await s.getTurns(c, 3, 1)).toEqual([]);
      expect(await s.getTurns(c, 2, 100)).toEqual([turn(2), turn(3)]);
      expect(await s.getTurns(c, 4, 8)).toEqual([]);
      await expect(s.getTurns(c, -1, 2)).rejects.toThrow(RangeError);
    });

    it('keeps earlier turns when more are appended', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(2), [turn(0), turn(1)]);
      await s.append(c, metaAt(4), [turn(2), turn(3)]);
      await s.append(c, metaAt(5), [turn(4)]);
      expect(await s.getTurns(c, 0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => turn(i)));
      expect((await s.getMeta(c))?.count).toBe(5);
    });

    it('updates the meta alone with putMeta and rejects a meta that cannot hold the turns', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(2), [turn(0), turn(1)]);
      await s.putMeta(c, metaAt(2, { base: 2, summary: 'new story' }));
      expect(await s.getMeta(c)).toEqual(metaAt(2, { base: 2, summary: 'new story' }));
      expect(await s.getTurns(c, 0, 2)).toEqual([turn(0), turn(1)]);
      await expect(s.append(c, metaAt(1), [turn(0), turn(1)])).rejects.toThrow(RangeError);
    });

    it('isolates conversations, including shared prefixes and ids containing ":"', async () => {
      const s = await store();
      const root = conv();
      const ids = [`${root}a:1`, `${root}a:10`, `${root}x`, `${root}x:t:0`, `${root}x:m`, `${root}x:t`, `${root}a`, `${root}{x}`, `${root}}:m`, `${root}{`];
      await Promise.all(ids.map((id, n) => s.append(id, metaAt(1, { summary: id }), [turn(n, `text of ${id}`)])));
      for (const [n, id] of ids.entries()) {
        expect(await s.getMeta(id)).toEqual(metaAt(1, { summary: id }));
        expect(await s.getTurns(id, 0, 5)).toEqual([turn(n, `text of ${id}`)]);
      }
      expect(await s.getMeta(`${root}a:`)).toBeUndefined();
    });

    it('clears one conversation and leaves the others', async () => {
      const s = await store();
      const c = conv('gone');
      const other = conv('kept');
      await s.append(c, metaAt(3), [turn(0), turn(1), turn(2)]);
      await s.append(other, metaAt(2), [turn(0), turn(1)]);
      await s.setRecord(c, { same: 'name as the conversation' });
      await s.clear(c);
      expect(await s.getMeta(c)).toBeUndefined();
      expect(await s.getTurns(c, 0, 3)).toEqual([]);
      expect(await s.getMeta(other)).toEqual(metaAt(2));
      expect(await s.getTurns(other, 0, 2)).toEqual([turn(0), turn(1)]);
      expect(await s.getRecord(c)).toEqual({ same: 'name as the conversation' });
      await s.clear(c); // clearing twice, or an unknown conversation, is fine
      await s.append(c, metaAt(1), [turn(7)]);
      expect(await s.getTurns(c, 0, 3)).toEqual([turn(7)]);
    });

    it('deletes a range of turns and leaves the meta and the other turns', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(5), [turn(0), turn(1), turn(2), turn(3), turn(4)]);
      await s.deleteTurns(c, 1, 3);
      expect(await s.getMeta(c)).toEqual(metaAt(5));
      expect(await s.getTurns(c, 0, 5)).toEqual([turn(0), turn(3), turn(4)]);
      await s.deleteTurns(c, 4, 4); // an empty range is fine
      await s.deleteTurns(c, 0, 1200); // past the end, across delete batches
      expect(await s.getTurns(c, 0, 5)).toEqual([]);
      await expect(s.deleteTurns(c, -1, 2)).rejects.toThrow(RangeError);
    });
    it('gets, sets, overwrites and deletes records', async () => {
      const s = await store();
      const key = `learner:${conv()}`;
      expect(await s.getRecord(key)).toBeUndefined();
      await s.setRecord(key, { xp: 3, topics: ['fractions'], done: false, note: null });
      expect(await s.getRecord(key)).toEqual({ xp: 3, topics: ['fractions'], done: false, note: null });
      await s.setRecord(key, 'just a string');
      expect(await s.getRecord<string>(key)).toBe('just a string');
      await s.setRecord(`${key}:2`, 42);
      await s.deleteRecord(key);
      expect(await s.getRecord(key)).toBeUndefined();
      expect(await s.getRecord(`${key}:2`)).toBe(42);
      await s.deleteRecord(key); // deleting a missing record is fine
    });

    it('never shows turns written after the last committed meta', async () => {
      const s = await store();
      const c = conv();
      // Turns 2 and 3 reach the store, then the meta is rolled back to 2, as if the process
      // had died between writing the turns and writing the meta.
      await s.append(c, metaAt(4), [turn(0), turn(1), turn(2), turn(3)]);
      await s.putMeta(c, metaAt(2));
      const meta = await s.getMeta(c);
      expect(await s.getTurns(c, 0, meta?.count ?? 0)).toEqual([turn(0), turn(1)]);
      // The next append takes index 2 over.
      await s.append(c, metaAt(3), [turn(2, 'retold')]);
      expect(await s.getTurns(c, 0, 3)).toEqual([turn(0), turn(1), turn(2, 'retold')]);
    });

    it('round-trips awkward text exactly', async () => {
      const s = await store();
      const c = conv();
      const texts = [
        'Ünïcödé — 日本語 — עברית — 🐉🧙‍♀️👩🏽‍🚀 — e\u0301',
        'line one\nline two\r\n\ttabbed "quoted" \\ backslash',
        ':starts with a colon',
        ':base64:aGVsbG8=',
        'nul \u0000 and bell \u0007 and lone surrogate \ud800',
        '',
        'x'.repeat(100_000),
      ];
      await s.append(
        c,
        metaAt(texts.length, { summary: texts[0] ?? '' }),
        texts.map((t, i) => turn(i, t)),
      );
      const back = await s.getTurns(c, 0, texts.length);
      expect(back.map((t) => t.text)).toEqual(texts);
      expect((await s.getMeta(c))?.summary).toBe(texts[0]);
      await s.setRecord(`lore:${c}`, { text: texts.join('|') });
      expect(await s.getRecord(`lore:${c}`)).toEqual({ text: texts.join('|') });
    });

    it('commits on the expected rev, and writes nothing on a stale or missing one', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(2, { rev: 'r1' }), [turn(0), turn(1)], { expectRev: undefined });
      await s.append(c, metaAt(3, { rev: 'r2' }), [turn(2)], { expectRev: 'r1' });
      const stale = await s.append(c, metaAt(4, { rev: 'lost' }), [turn(2, 'lost'), turn(3, 'lost')], { expectRev: 'r1' }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(StoreConflictError);
      expect(stale).toMatchObject({ conversation: c, expectedRev: 'r1' });
      await expect(s.append(c, metaAt(4, { rev: 'lost' }), [turn(3, 'lost')], { expectRev: undefined })).rejects.toBeInstanceOf(StoreConflictError);
      await expect(s.putMeta(c, metaAt(3, { rev: 'lost' }), { expectRev: 'r0' })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await s.getMeta(c)).toEqual(metaAt(3, { rev: 'r2' }));
      expect(await s.getTurns(c, 0, 5)).toEqual([turn(0), turn(1), turn(2)]);
      await s.putMeta(c, metaAt(3, { rev: 'r3', summary: 'kept' }), { expectRev: 'r2' });
      await expect(s.putMeta(c, metaAt(3, { rev: 'r4' }), { expectRev: 'r2' })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await s.getMeta(c)).toEqual(metaAt(3, { rev: 'r3', summary: 'kept' }));

      const none = conv();
      await expect(s.append(none, metaAt(1, { rev: 'x' }), [turn(0)], { expectRev: 'r1' })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await s.getMeta(none)).toBeUndefined();
      expect(await s.getTurns(none, 0, 1)).toEqual([]);
    });

    it('builds on a meta stored without a rev when no rev is expected', async () => {
      const s = await store();
      const c = conv();
      await s.putMeta(c, metaAt(0, { persona: 'sage' }));
      await s.append(c, metaAt(2, { persona: 'sage', rev: 'r1' }), [turn(0), turn(1)], { expectRev: undefined });
      expect(await s.getMeta(c)).toEqual(metaAt(2, { persona: 'sage', rev: 'r1' }));
    });

    it('refuses a conditional write that does not bring a new rev, before writing anything', async () => {
      const s = await store();
      const c = conv();
      await s.append(c, metaAt(1, { rev: 'r1' }), [turn(0)]);
      for (const rev of [undefined, '', 'r1', 'nul\u0000', 'lone \ud800']) {
        await expect(s.append(c, metaAt(2, { rev }), [turn(1)], { expectRev: 'r1' })).rejects.toThrow(RangeError);
        await expect(s.putMeta(c, metaAt(1, { rev }), { expectRev: 'r1' })).rejects.toThrow(RangeError);
      }
      expect(await s.getMeta(c)).toEqual(metaAt(1, { rev: 'r1' }));
      expect(await s.getTurns(c, 0, 2)).toEqual([turn(0)]);
      await s.append(c, metaAt(2, { rev: 'pair \ud83d\udc09' }), [turn(1)], { expectRev: 'r1' });
    });

    it('reads the rev of a meta whatever text it holds', async () => {
      const s = await store();
      const c = conv();
      // JSON.stringify writes NUL and lone surrogates as \u escapes, which some JSON parsers refuse.
      const awkward = 'nul \u0000, lone \ud800 and \udc00, a pair \ud83d\udc09, literal \\u0000 and \\\ud800, "rev":"fake"';
      const first = metaAt(1, { rev: 'r1', summary: awkward, settings: { rev: 'not this one', note: awkward } });
      await s.append(c, first, [turn(0, awkward)], { expectRev: undefined });
      await expect(s.putMeta(c, metaAt(1, { rev: 'x' }), { expectRev: 'not this one' })).rejects.toBeInstanceOf(StoreConflictError);
      await expect(s.putMeta(c, metaAt(1, { rev: 'x' }), { expectRev: 'fake' })).rejects.toBeInstanceOf(StoreConflictError);
      const second = { ...first, count: 2, rev: 'r2' };
      await s.append(c, second, [turn(1, awkward)], { expectRev: 'r1' });
      expect(await s.getMeta(c)).toEqual(second);
      expect(await s.getTurns(c, 0, 2)).toEqual([turn(0, awkward), turn(1, awkward)]);
    });

    it('reads the rev of a meta holding any text (property)', async () => {
      const s = await store();
      // Escape-heavy fragments (runs of backslashes, \u0000, surrogate halves) and any code points.
      const fragment = fc.constantFrom('\\', '\\\\', '\\u0000', '\u0000', '\ud800', '\udfff', '\ud83d\udc09', 'u', 'd800', '"', 'rev', '{', '}');
      const text = fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
      );
      await fc.assert(
        fc.asyncProperty(text, async (t) => {
          const c = conv();
          await s.append(c, metaAt(1, { rev: 'r1', summary: t, settings: { [t]: t } }), [turn(0, t)], { expectRev: undefined });
          await expect(s.putMeta(c, metaAt(1, { rev: 'r2' }), { expectRev: 'stale' })).rejects.toBeInstanceOf(StoreConflictError);
          await s.putMeta(c, metaAt(1, { rev: 'r2', summary: t }), { expectRev: 'r1' });
          expect((await s.getMeta(c))?.summary).toBe(t);
        }),
        { numRuns: 25 },
      );
    });

    it(`lets exactly one of ${RACERS} concurrent commits on the same rev win, and keeps only its turns`, async () => {
      const c = conv('{race}');
      const first = await store();
      await first.append(c, metaAt(2, { rev: 'start' }), [turn(0), turn(1)], { expectRev: undefined });
      // Over shared storage each racer has its own store (its own connection); else one store.
      const racers = options.persistent ? await Promise.all(Array.from({ length: RACERS }, () => store())) : Array.from({ length: RACERS }, () => first);
      const results = await Promise.allSettled(
        racers.map((s, n) => s.append(c, metaAt(4, { rev: `racer ${n}` }), [turn(2, `by ${n}`), turn(3, `by ${n}`)], { expectRev: 'start' })),
      );
      const winners = results.flatMap((r, n) => (r.status === 'fulfilled' ? [n] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreConflictError);
      const n = winners[0];
      expect(await first.getMeta(c)).toEqual(metaAt(4, { rev: `racer ${n}` }));
      expect(await first.getTurns(c, 0, 4)).toEqual([turn(0), turn(1), turn(2, `by ${n}`), turn(3, `by ${n}`)]);
    });

    if (options.persistent) {
      it('keeps conversations and records across close and reopen', async () => {
        const c = conv();
        const first = await makeStore();
        await first.append(c, metaAt(2, { summary: 'persisted' }), [turn(0), turn(1)]);
        await first.setRecord(`rec:${c}`, { kept: true });
        await first.close();
        const second = await store();
        expect(await second.getMeta(c)).toEqual(metaAt(2, { summary: 'persisted' }));
        expect(await second.getTurns(c, 0, 2)).toEqual([turn(0), turn(1)]);
        expect(await second.getRecord(`rec:${c}`)).toEqual({ kept: true });
      });
    }
  });
}
