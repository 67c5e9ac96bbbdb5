import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startDiscord, type DiscordHandle } from '../../src/adapters/discord/start.js';
import type { Clock } from '../../src/engine/clock.js';
import { createEngine, type ModelWiring } from '../../src/app.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Feature } from '../../src/engine/feature.js';
import type { TurnGuard } from '../../src/engine/guard.js';
import type { EngineLimits } from '../../src/engine/limits.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { FakeDiscord, type FakeDiscordOptions } from '../support/fake-discord.js';

export const PERSONAS_DIR = fileURLToPath(new URL('../../personas', import.meta.url));

export interface Harness {
  fake: FakeDiscord;
  backend: FakeBackend;
  engine: Engine;
  store: ConversationStore;
  discord: DiscordHandle;
  close(): Promise<void>;
}

/** The engine as production builds it (memory store, real personas and features, a FakeBackend) behind real discord.js, against the fake Discord. */
export async function startHarness(
  opts: {
    editIntervalMs?: number;
    fake?: FakeDiscordOptions;
    backend?: FakeBackend;
    /** The features (default: Muse's; see withFeatures in test/support/engine.ts). */
    features?: readonly Feature[];
    clock?: Clock;
    maxAttachmentBytes?: number;
    /** The models as the app wires them (modelWiring of a catalog). */
    models?: ModelWiring;
    /** Fair use on the harness's store (e.g. createFairUse); default: everything passes. */
    guard?: (store: ConversationStore, backend: FakeBackend) => Promise<TurnGuard>;
    limits?: Partial<EngineLimits>;
  } = {},
): Promise<Harness> {
  const fake = await FakeDiscord.start(opts.fake);
  const store = await openStore('memory://');
  const backend = opts.backend ?? new FakeBackend();
  const engine = createEngine({
    store,
    backend: async () => backend,
    personas: new PersonaRegistry([PERSONAS_DIR]),
    ...(opts.features ? { features: opts.features } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.models ?? {}),
    ...(opts.guard ? { guard: await opts.guard(store, backend) } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  const log = pino({ level: process.env.MUSE_TEST_LOG ?? 'silent' });
  const discord = await startDiscord({
    engine,
    token: fake.token,
    apiUrl: fake.apiUrl,
    log,
    managerRole: 'Game Master',
    editIntervalMs: opts.editIntervalMs ?? 15,
    ...(opts.maxAttachmentBytes ? { maxAttachmentBytes: opts.maxAttachmentBytes } : {}),
  });
  return {
    fake,
    backend,
    engine,
    store,
    discord,
    async close() {
      await discord.stop();
      await engine.idle();
      await store.close();
      await fake.close();
    },
  };
}

/** Dispatches an interaction, waits for its acknowledgement, then for Muse to finish handling it. */
export async function runInteraction(h: Harness, start: () => { token: string }) {
  const { token } = start();
  const deferral = await h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
  await h.discord.idle();
  return { token, deferral, ack: deferral, replies: h.fake.repliesTo(token) };
}
