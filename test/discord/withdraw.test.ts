import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createFairUse } from '../../src/fair-use.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import type { Stored } from '../support/fake-discord.js';
import { runInteraction, startHarness, type Harness } from './harness.js';

/**
 * A mature reply that streamed past 2,000 characters (three messages) and that output moderation
 * then flags is taken back: the first message becomes the sentence and the follow-ups go, so none
 * of the withdrawn text stays visible anywhere Muse posted it (slash command and mention paths).
 */

const SENTENCE = "Muse's reply was withheld: it seemed to involve violent crime or weapons, which isn't allowed here.";
const quiet = { info() {}, warn() {} };

/** About 5,000 characters in paragraphs, each naming the smuggler (what the moderation flags). */
const FLAGGED = Array.from({ length: 24 }, (_, i) => `Crate ${i + 1}. ${'The smuggler packed the rifles under the fish at dawn. '.repeat(4).trim()}`).join(
  '\n\n',
);

/** Streams the flagged reply in pieces, so the messages fill (and spill) before the check. */
function chunks(text: string, size = 400): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

let fake: FakeOpenAI;
let h: Harness;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  const env = { MUSE_MODERATION: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', MUSE_LIMIT_USER: 'off', MUSE_LIMIT_WORKSPACE: 'off' };
  h = await startHarness({ guard: (store, backend) => createFairUse(loadConfig(env), { store, backend: async () => backend, log: quiet }) });
  // The channel is age-restricted: a mature reply streams, and moderation takes it back afterwards.
  const channel = { ...h.fake.channels.get(h.fake.channelId), nsfw: true };
  h.fake.channels.set(h.fake.channelId, channel);
  const updated = new Promise((resolve) => h.discord.client.once('channelUpdate', resolve));
  h.fake.dispatch('CHANNEL_UPDATE', channel);
  await updated;
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  fake.moderation.flag(/smuggler/i, ['illicit/violent']);
});

/** Muse's messages in the channel since `before` (ids known then), deleted ones too when `all`. */
function museMessages(before: ReadonlySet<string>, all = false): Stored[] {
  const mine = (m: Stored) => m.channel_id === h.fake.channelId && m.author?.id === h.fake.bot.id && !before.has(m.id);
  return [...h.fake.messages.values()].filter((m) => mine(m) && (all || !m.deleted));
}

function known(): Set<string> {
  return new Set(h.fake.messages.keys());
}

function expectWithdrawn(before: ReadonlySet<string>): void {
  // The reply had spilled into follow-ups before it was taken back.
  expect(museMessages(before, true).length).toBeGreaterThanOrEqual(3);
  const shown = museMessages(before).map((m) => String(m.content ?? ''));
  for (const text of shown) {
    expect(text).not.toContain('smuggler');
    expect(text).not.toContain('Crate ');
  }
  expect(shown.filter((text) => text.includes(SENTENCE))).toHaveLength(1);
}

describe('discord: a withdrawn reply longer than one message', () => {
  it('a slash command: the deferred reply becomes the sentence and the follow-ups are deleted', async () => {
    expect(FLAGGED.length).toBeGreaterThan(4500);
    const before = known();
    h.backend.push({ parts: chunks(FLAGGED), delayMs: 25 });
    const { replies } = await runInteraction(h, () => h.fake.slash({ name: 'poem', options: { topic: 'a harbour' } }));
    expect(replies.map((r) => r.content)).toEqual([`⚠️ ${SENTENCE}`]);
    expectWithdrawn(before);
  });

  it('a mention: the first message becomes the sentence and the later ones are deleted', async () => {
    const before = known();
    h.backend.push({ parts: chunks(FLAGGED), delayMs: 25 });
    h.fake.say({ content: `<@${h.fake.bot.id}> tell me about the harbour`, mentionsBot: true, user: h.fake.alice });
    await h.fake.until(() => museMessages(before).some((m) => String(m.content ?? '').includes(SENTENCE)));
    await h.discord.idle();
    expectWithdrawn(before);
  });
});
