import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createFairUse } from '../../src/fair-use.js';
import { P } from '../support/fake-discord.js';
import { runInteraction, startHarness, type Harness } from './harness.js';

const quiet = { info() {}, warn() {} };
const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Go left\n2. Go right';

describe('discord: a /story new refused before it begins takes its thread back', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const threadsNamed = (hh: Harness, name: string) => [...hh.fake.channels.values()].filter((c) => c.type === 11 && c.name === name);
  const storyNew = (hh: Harness, premise: string) => runInteraction(hh, () => hh.fake.slash({ name: 'story', subcommand: 'new', options: { premise } }));
  const limitedTo = (requests: number) => (store: Parameters<typeof createFairUse>[1]['store'], backend: unknown) =>
    createFairUse(loadConfig({ MUSE_LIMIT_USER: `${requests}/10m` }), { store, backend: async () => backend as never, log: quiet });

  for (const manageThreads of [true, false]) {
    it(`at the user limit: the refusal is told privately, and the empty thread is ${manageThreads ? 'deleted (Manage Threads)' : 'archived (no Manage Threads)'}`, async () => {
      h = await startHarness({ guard: limitedTo(1) });
      const hh = h;
      if (manageThreads) hh.fake.botPermissions |= P.ManageThreads;
      hh.backend.push(BEAT);
      const first = await storyNew(hh, 'A brave fox');
      const thread = threadsNamed(hh, 'A brave fox')[0]!;
      expect(first.replies.at(-1)?.content).toContain(`<#${thread.id}>`);
      expect(hh.fake.messagesIn(thread.id).some((m) => m.content.includes('The fox stops'))).toBe(true);

      const second = await storyNew(hh, 'A grey owl');
      const refusal = second.replies.at(-1)!;
      expect(refusal.content).toMatch(/^⚠️ You have used your 1 request for 10 minutes; try again in \d+ minutes?\.$/);
      expect(refusal.flags & 64).toBe(64); // ephemeral: only the speaker sees it
      expect(hh.backend.calls).toHaveLength(1);
      const owl = [...hh.fake.channels.values(), ...hh.fake.deletedChannels.values()].find((c) => c.name === 'A grey owl')!;
      expect(hh.fake.messagesIn(owl.id)).toHaveLength(0);
      if (manageThreads) {
        expect(hh.fake.channels.has(owl.id)).toBe(false);
        expect(hh.fake.deletedChannels.has(owl.id)).toBe(true);
      } else {
        expect(owl.thread_metadata.archived).toBe(true);
      }
      // The first story's thread is untouched.
      expect(threadsNamed(hh, 'A brave fox')[0]!.thread_metadata.archived).toBe(false);
    });
  }
});
