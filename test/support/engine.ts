import { resolve } from 'node:path';
import { commands, jobs, turnHooks } from '../../commands/index.js';
import type { ConversationRef, Speaker } from '../../src/engine/conversation.js';
import type { Clock } from '../../src/engine/clock.js';
import { Engine, type Inbound, type TurnHook } from '../../src/engine/engine.js';
import type { JobHandler } from '../../src/engine/jobs.js';
import type { ReplyPart } from '../../src/engine/parts.js';
import type { EngineLimits, LoreProvider } from '../../src/engine/session.js';
import type { CommandSpec } from '../../src/engine/spec.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { PersonaRegistry } from '../../src/personas/registry.js';

export const PERSONAS_DIR = resolve(import.meta.dirname, '../../personas');

export interface TestEngine {
  engine: Engine;
  backend: FakeBackend;
  store: ConversationStore;
  /** Runs one inbound event and collects its parts. */
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

export async function makeEngine(opts: {
  backend?: FakeBackend;
  store?: ConversationStore;
  personas?: PersonaRegistry;
  limits?: Partial<EngineLimits>;
  commands?: readonly CommandSpec[];
  turnHooks?: readonly TurnHook[];
  /** Scheduled job handlers (default: Muse's own). */
  jobs?: Readonly<Record<string, JobHandler>>;
  clock?: Clock;
  lore?: LoreProvider;
} = {}): Promise<TestEngine> {
  const backend = opts.backend ?? new FakeBackend();
  const store = opts.store ?? (await openStore('memory://'));
  const engine = new Engine({
    store,
    backend: async () => backend,
    personas: opts.personas ?? new PersonaRegistry([PERSONAS_DIR]),
    commands: opts.commands ?? commands,
    turnHooks: opts.turnHooks ?? turnHooks,
    jobs: opts.jobs ?? jobs,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.lore ? { lore: opts.lore } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  return {
    engine,
    backend,
    store,
    send: (text, more = {}) => collect(engine.handle({ conversation: channel, speaker: alice, text, ...more })),
  };
}
