import { afterEach, describe, expect, it } from 'vitest';
import { withFeatures } from '../support/engine.js';
import { sceneFeature, WITHDRAWN } from '../adapters/scene-feature.js';
import { CHANNEL, post, startHarness, type Harness } from './harness.js';

/**
 * A reply Slack streamed natively into several messages (past the stream limit), then taken back
 * (moderation): the first message becomes the sentence, the others are deleted (chat.delete).
 * (The edit path, for slash commands, is an adapter scenario: test/adapters/scenarios.ts.)
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack: a withdrawn reply that spilled over several streamed messages', () => {
  it('keeps none of the withdrawn text in any of them, and says why once', async () => {
    h = await startHarness({ features: withFeatures(sceneFeature), streamLimit: 1000 });
    const ev = post(h.slack, { text: '<@UMUSE> /scene withdrawn-long' });
    await h.event({ ...ev, type: 'app_mention' });
    // The reply had gone on into further streamed messages before it was taken back.
    expect(h.slack.callsOf('chat.startStream').length).toBeGreaterThanOrEqual(3);
    const texts = h.slack.museMessages(CHANNEL).map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`);
    for (const text of texts) expect(text).not.toMatch(/Part \d+|lantern/);
    expect(texts.filter((t) => t.includes(WITHDRAWN))).toHaveLength(1);
  });
});
