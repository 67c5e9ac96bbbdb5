import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { WebClient } from './client.js';
import type { RecentKeys } from './dedupe.js';
import type { TurnGate } from './gate.js';
import type { MuseThreads } from './threads.js';
import type { SlackUsers } from './users.js';

/** What every listener needs; built once in start.ts. */
export interface SlackDeps {
  engine: Engine;
  client: WebClient;
  log: Logger;
  users: SlackUsers;
  threads: MuseThreads;
  /** Posts already answered, keyed `channel:ts` (one post can arrive as app_mention and message). */
  answered: RecentKeys;
  /** Bounds how many turns run at once. */
  gate: TurnGate;
  throttleMs: number;
  chunkLimit: number;
}
