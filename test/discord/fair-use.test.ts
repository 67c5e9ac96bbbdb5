import { afterEach, describe, expect, it } from 'vitest';
import { WRITING_MARKER } from '../../src/adapters/discord/render.js';
import { loadConfig } from '../../src/config/config.js';
import { BUSY } from '../../src/engine/gate.js';
import { createFairUse } from '../../src/fair-use.js';
import { startHarness, type Harness } from './harness.js';

const quiet = { info() {}, warn() {} };

describe('discord: fair use', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const museMessages = (hh: Harness, channelId: string) => hh.fake.messagesIn(channelId).filter((m) => m.author.id === hh.fake.bot.id);
  /** Whether Muse ever edited this message (a placeholder becomes the reply by an edit). */
  const edited = (hh: Harness, id: string) => hh.fake.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${id}`));

  it('30 mentions from one user: at most the user limit reach the model, the rest get the sentence with no placeholder, another user is still served', async () => {
    h = await startHarness({
      guard: (store, backend) =>
        createFairUse(loadConfig({ MUSE_LIMIT_USER: '5/10m', MUSE_LIMIT_WORKSPACE: '100/10m' }), { store, backend: async () => backend, log: quiet }),
      // Queues long enough that every mention waits its turn rather than finding Muse busy.
      limits: { queuePerConversation: 64 },
    });
    const hh = h;
    for (let i = 0; i < 30; i++) hh.fake.say({ content: `<@${hh.fake.bot.id}> line ${i}`, mentionsBot: true });
    hh.fake.say({ content: `<@${hh.fake.bot.id}> my turn`, mentionsBot: true, user: hh.fake.bob });
    await hh.fake.until(() => museMessages(hh, hh.fake.channelId).length >= 31 && hh.engine.turns.size === 0, 30_000);
    await hh.discord.idle();
    const replies = museMessages(hh, hh.fake.channelId);
    expect(replies).toHaveLength(31);
    expect(hh.backend.calls).toHaveLength(6);
    const refused = replies.filter((m) => /^⚠️ You have used your 5 requests for 10 minutes; try again in \d+ minutes?\.$/.test(m.content));
    expect(refused).toHaveLength(25);
    // A refused turn posted its sentence and nothing before it: no "writing…" placeholder turned into it.
    for (const m of refused) expect(edited(hh, m.id)).toBe(false);
    const posted = hh.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(posted.filter((r) => String(r.body?.content ?? '').includes(WRITING_MARKER)).length).toBeLessThanOrEqual(6);
    // Bob's mention was answered by the model.
    expect(hh.backend.calls.some((c) => c.messages.at(-1)!.content === 'Bob: my turn')).toBe(true);
  });

  it('1,000 events at once: bounded queues (busy at once beyond them, no placeholder), and every event gets an answer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const limits = { maxTurns: 4, queuePerConversation: 8, queuePerProcess: 64 };
    h = await startHarness({ limits });
    const hh = h;
    hh.backend.push(...Array.from({ length: 1000 }, () => ({ parts: ['Reply.'], after: gate })));
    const users = Array.from({ length: 40 }, (_, i) => hh.fake.addUser(`user${i}`, `User ${i}`));
    let peakWaiting = 0;
    let peakActive = 0;
    const sample = () => {
      peakWaiting = Math.max(peakWaiting, hh.engine.gate.waiting);
      peakActive = Math.max(peakActive, hh.engine.gate.active);
    };
    const channels = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      channels.add(hh.fake.say({ content: `message ${i}`, dm: true, user: users[i % users.length]! }).channel_id);
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      sample();
    }
    // Answers, not the "writing…" placeholders of the turns that run.
    const answered = () => [...channels].reduce((n, c) => n + museMessages(hh, c).filter((m) => !m.content.includes(WRITING_MARKER)).length, 0);
    // Everything beyond the queues is answered at once, while the model still holds the turns that run.
    try {
      await hh.fake.until(() => {
        sample();
        return answered() >= 1000 - limits.maxTurns - limits.queuePerProcess;
      }, 60_000);
      sample();
      expect(peakActive).toBeLessThanOrEqual(limits.maxTurns);
      expect(peakWaiting).toBeLessThanOrEqual(limits.queuePerProcess);
      const busy = [...channels].flatMap((c) => museMessages(hh, c)).filter((m) => m.content === `⚠️ ${BUSY}`);
      expect(busy.length).toBeGreaterThanOrEqual(1000 - limits.maxTurns - limits.queuePerProcess);
      for (const m of busy) expect(edited(hh, m.id)).toBe(false);
    } finally {
      release();
    }
    await hh.fake.until(() => answered() >= 1000 && hh.engine.turns.size === 0, 60_000);
    await hh.discord.idle();
    const all = [...channels].flatMap((c) => museMessages(hh, c));
    expect(all).toHaveLength(1000);
    expect(all.filter((m) => m.content === 'Reply.').length).toBe(hh.backend.calls.length);
    expect(all.filter((m) => m.content === 'Reply.').length + all.filter((m) => m.content === `⚠️ ${BUSY}`).length).toBe(1000);
    expect(hh.engine.gate.waiting).toBe(0);
  });
});
