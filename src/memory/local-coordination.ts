/**
 * Coordination kept in one process (memory://, sqlite://): leases in process (local-leases.ts),
 * dedupe in a bounded map (dedupe.ts), claims beside the stored jobs (local-jobs.ts), and
 * record compare-and-set on the store itself (a Map step, a SQLite transaction).
 */
import type Database from 'better-sqlite3';
import type { Coordination } from './coordination.js';
import { LocalDedupe } from './dedupe.js';
import type { KeyLayout } from './keys.js';
import { LocalClaimingJobStore } from './local-jobs.js';
import type { LocalLeases } from './local-leases.js';
import { CasRecords } from './records.js';
import type { RecordCas } from './records.js';
import type { ConversationStore } from './types.js';

export interface LocalParts {
  store: ConversationStore;
  leases: LocalLeases;
  cas: RecordCas;
  keys: KeyLayout;
  timeoutMs: number;
}

export function localCoordination(parts: LocalParts, backend: { kind: 'memory' } | { kind: 'sqlite'; db: Database.Database }): Coordination {
  return {
    ...backend,
    shared: false,
    leases: parts.leases,
    jobs: new LocalClaimingJobStore(parts.store),
    dedupe: new LocalDedupe(),
    records: new CasRecords(parts.cas, parts.keys.record, parts.timeoutMs),
  };
}
