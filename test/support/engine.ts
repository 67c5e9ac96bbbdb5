import { resolve } from 'node:path';
import { features as registry } from '../../commands/index.js';
import { createEngine, type ModelWiring } from '../../src/app.js';
import type { ConversationRef, Speaker } from '../../src/engine/conversation.js';
import type { Clock } from '../../src/engine/clock.js';
import type { Engine, Inbound } from '../../src/engine/engine.js';
import type { Feature } from '../../src/engine/feature.js';
import type { TurnGuard } from '../../src/engine/guard.js';
import type { EngineLimits } from '../../src/engine/limits.js';
import { decodeAction, encodeAction } from '../../src/engine/actions.js';
import type { ActionRun, ReplyPart } from '../../src/engine/parts.js';
import type { Coordination } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import type { Observer } from '../../src/ops/observer.js';
import { PersonaRegistry } from '../../src/personas/registry.js';

export const PERSONAS_DIR = resolve(import.meta.dirname, '../../personas');

export interface TestEngine {
  engine: Engine;
  backend: FakeBackend;
  store: ConversationStore;
  /** Runs one inbound event and collects its parts (as someone who manages the channel, unless `more` says). */
  send(text: string, more?: Partial<Inbound>): Promise<Reply>;
}

export interface Reply {
  parts: ReplyPart[];
  /** Streamed text plus complete messages. */
  text: string;
  error?: Extract<ReplyPart, { type: 'error' }>;
  done?: Extract<ReplyPart, { type: 'done' }>;
}

export const channel: ConversationRef = { platform: 'test', workspace: 'w1', channel: 'c1' };
export const alice: Speaker = { id: 'u-alice', name: 'Alice' };
export const bob: Speaker = { id: 'u-bob', name: 'Bob' };

export async function collect(parts: AsyncIterable<ReplyPart>): Promise<Reply> {
  const reply: Reply = { parts: [], text: '' };
  for await (const part of parts) {
    reply.parts.push(part);
    if (part.type === 'text') reply.text += part.text;
    if (part.type === 'message') reply.text += part.text;
    if (part.type === 'error') reply.error = part;
    if (part.type === 'done') reply.done = part;
    // Like the adapters, stop reading at the end part.
    if (part.type === 'done' || part.type === 'error') break;
  }
  return reply;
}

/** What a click on a button with this action sends (through its encoding, as the adapters do). */
export function clicked(run: ActionRun): Partial<Inbound> {
  const input = decodeAction(encodeAction(run));
  if (!input) throw new Error('the action did not decode');
  return input;
}

/** Muse's features and, after them, test-only ones (a command, a hook, a job). */
export function withFeatures(...extra: Feature[]): readonly Feature[] {
  return [...registry, ...extra];
}

/** Muse's features with one of them replaced by `feature` (which keeps the replaced one's commands unless it has its own). */
export function replacing(feature: Feature): readonly Feature[] {
  if (!registry.some((f) => f.name === feature.name)) throw new Error(`no feature "${feature.name}" to replace`);
  return registry.map((f) => (f.name === feature.name ? { commands: f.commands ?? [], ...feature } : f));
}

/** The engine as production builds it (createEngine), on a memory store and a fake model unless given. */
export async function makeEngine(
  opts: {
    backend?: FakeBackend;
    store?: ConversationStore;
    personas?: PersonaRegistry;
    limits?: Partial<EngineLimits>;
    /** Default: Muse's registry (see withFeatures, replacing). */
    features?: readonly Feature[];
    clock?: Clock;
    random?: () => number;
    /** MUSE_PERSONA_IMPORT (default managers). */
    personaImport?: 'managers' | 'off';
    observer?: Observer;
    /** Default: the store's own (openCoordination). */
    coordination?: Coordination;
    /** The models as the app wires them (modelWiring of a catalog); default: `backend` alone. */
    models?: ModelWiring;
    /** Fair use (createFairUse); default: everything passes. */
    guard?: TurnGuard;
  } = {},
): Promise<TestEngine> {
  const backend = opts.backend ?? new FakeBackend();
  const store = opts.store ?? (await openStore('memory://'));
  const engine = createEngine({
    store,
    backend: async () => backend,
    personas: opts.personas ?? new PersonaRegistry([PERSONAS_DIR]),
    ...(opts.features ? { features: opts.features } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.personaImport ? { personaImport: opts.personaImport } : {}),
    ...(opts.observer ? { observer: opts.observer } : {}),
    ...(opts.coordination ? { coordination: opts.coordination } : {}),
    ...(opts.models ?? {}),
    ...(opts.guard ? { guard: opts.guard } : {}),
  });
  return {
    engine,
    backend,
    store,
    // The speaker manages the test channel unless a test says otherwise (canManage: () => false).
    send: (text, more = {}) => collect(engine.handle({ conversation: channel, speaker: alice, canManage: () => true, text, ...more })),
  };
}
