/**
 * The job store with claims on Postgres: one row per job in `muse_jobs` (postgres-schema.ts).
 * `visible_at` is when the job may be claimed: its due time, or the end of a claim's visibility
 * timeout. claim() is one statement that locks due rows with FOR UPDATE SKIP LOCKED (a second
 * claimer skips them, or re-checks them after the first commits) and moves their visible_at on.
 */
import type { Pool } from 'pg';
import { conversationKey } from './conversation-key.js';
import type { Job } from './jobs.js';
import { checkClaim } from './coordination.js';
import type { ClaimingJobStore, ClaimOptions } from './coordination.js';
import { guarded } from './guard.js';
import { coordinationSchema, JOBS } from './postgres-schema.js';

export class PostgresJobStore implements ClaimingJobStore {
  constructor(
    private readonly pool: Pool,
    private readonly namespace: string,
    private readonly timeoutMs: number,
  ) {}

  put(job: Job): Promise<void> {
    return this.query(
      `INSERT INTO ${JOBS} (ns, conversation, name, platform, id, due_at, visible_at, body) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
       ON CONFLICT (ns, conversation, name) DO UPDATE SET platform = excluded.platform, id = excluded.id, due_at = excluded.due_at,
         visible_at = excluded.visible_at, body = excluded.body`,
      [this.namespace, conversationKey(job.conversation), job.name, job.conversation.platform, job.id, job.dueAt, JSON.stringify(job)],
    ).then(() => {});
  }

  remove(conversation: string, name: string, id?: string): Promise<void> {
    const values = [this.namespace, conversation, name, ...(id === undefined ? [] : [id])];
    return this.query(`DELETE FROM ${JOBS} WHERE ns = $1 AND conversation = $2 AND name = $3${id === undefined ? '' : ' AND id = $4'}`, values).then(() => {});
  }

  removeAll(conversation: string): Promise<void> {
    return this.query(`DELETE FROM ${JOBS} WHERE ns = $1 AND conversation = $2`, [this.namespace, conversation]).then(() => {});
  }

  due(now: number, platforms: readonly string[]): Promise<Job[]> {
    return this.jobs(`SELECT body FROM ${JOBS} WHERE ns = $1 AND platform = ANY($2::text[]) AND due_at <= $3 ORDER BY due_at`, [
      this.namespace,
      [...platforms],
      now,
    ]);
  }

  pending(platforms: readonly string[]): Promise<Job[]> {
    return this.jobs(`SELECT body FROM ${JOBS} WHERE ns = $1 AND platform = ANY($2::text[]) ORDER BY due_at`, [this.namespace, [...platforms]]);
  }

  async claim(now: number, platforms: readonly string[], options: ClaimOptions): Promise<Job[]> {
    checkClaim(options);
    return this.jobs(
      `WITH claimed AS (
         UPDATE ${JOBS} AS j SET visible_at = $4 FROM (
           SELECT ns, conversation, name FROM ${JOBS}
           WHERE ns = $1 AND platform = ANY($2::text[]) AND visible_at <= $3
           ORDER BY due_at LIMIT $5 FOR UPDATE SKIP LOCKED
         ) AS due
         WHERE j.ns = due.ns AND j.conversation = due.conversation AND j.name = due.name
         RETURNING j.body, j.due_at
       )
       SELECT body FROM claimed ORDER BY due_at`,
      [this.namespace, [...platforms], now, now + options.visibilityMs, options.limit],
    );
  }

  release(job: Job): Promise<void> {
    return this.query(`UPDATE ${JOBS} SET visible_at = due_at WHERE ns = $1 AND conversation = $2 AND name = $3 AND id = $4`, [
      this.namespace,
      conversationKey(job.conversation),
      job.name,
      job.id,
    ]).then(() => {});
  }

  complete(job: Job): Promise<void> {
    return this.remove(conversationKey(job.conversation), job.name, job.id);
  }

  private async jobs(text: string, values: unknown[]): Promise<Job[]> {
    const { rows } = await this.query(text, values);
    return rows.map((row: { body: string }) => JSON.parse(row.body) as Job);
  }

  private query(text: string, values: unknown[]): Promise<{ rows: Array<{ body: string }> }> {
    return guarded(this.timeoutMs, async () => {
      await coordinationSchema(this.pool);
      return this.pool.query<{ body: string }>(text, values);
    });
  }
}
