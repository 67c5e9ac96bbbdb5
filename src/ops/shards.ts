/**
 * Discord shards: which of MUSE_SHARD_COUNT shards this process runs (MUSE_SHARDS), and which
 * shard owns a conversation. Discord sends a guild's events to shard (guild_id >> 22) % count,
 * and DMs to shard 0, so the process that runs a shard is the one that answers there (and closes
 * its vote windows).
 *
 *   MUSE_SHARDS=0,2      these ids
 *   MUSE_SHARDS=auto     the ids s with s % MUSE_WORKERS == N-1, where DYNO=worker.N
 *   (unset)              every shard
 */

export interface ShardSettings {
  MUSE_SHARD_COUNT: number;
  MUSE_SHARDS?: string | undefined;
  MUSE_WORKERS?: number | undefined;
  DYNO?: string | undefined;
}

/** The shard ids this process runs, or the one sentence that says what is wrong. */
export function shardIds(s: ShardSettings): { ids: number[] } | { problem: string } {
  const count = s.MUSE_SHARD_COUNT;
  const every = Array.from({ length: count }, (_, i) => i);
  const text = s.MUSE_SHARDS?.trim();
  if (!text) return { ids: every };
  if (text.toLowerCase() === 'auto') return autoShards(s, every);
  const ids: number[] = [];
  for (const item of text.split(',')) {
    const id = item.trim();
    if (!/^\d{1,6}$/.test(id)) return { problem: 'MUSE_SHARDS: must be auto or a comma-separated list of shard ids (e.g. 0,2)' };
    const n = Number(id);
    if (n >= count) return { problem: `MUSE_SHARDS: shard ${n} does not exist with MUSE_SHARD_COUNT=${count} (ids go from 0 to ${count - 1})` };
    if (ids.includes(n)) return { problem: `MUSE_SHARDS: lists shard ${n} twice` };
    ids.push(n);
  }
  return { ids: ids.sort((a, b) => a - b) };
}

function autoShards(s: ShardSettings, every: number[]): { ids: number[] } | { problem: string } {
  const workers = s.MUSE_WORKERS;
  if (workers === undefined) return { problem: 'MUSE_WORKERS: is needed for MUSE_SHARDS=auto (how many worker processes share the shards)' };
  const n = /^worker\.(\d{1,6})$/.exec(s.DYNO?.trim() ?? '')?.[1];
  if (n === undefined) {
    return { problem: "DYNO: MUSE_SHARDS=auto needs DYNO=worker.N, as the platform sets it; elsewhere list this process's shard ids in MUSE_SHARDS" };
  }
  const index = Number(n);
  if (index < 1 || index > workers)
    return { problem: `DYNO: worker.${index} is not one of the MUSE_WORKERS=${workers} workers (worker.1 to worker.${workers})` };
  const ids = every.filter((id) => id % workers === index - 1);
  if (!ids.length)
    return {
      problem: `MUSE_SHARDS: with MUSE_SHARD_COUNT=${s.MUSE_SHARD_COUNT} and MUSE_WORKERS=${workers}, worker.${index} gets no shard; use at least as many shards as workers`,
    };
  return { ids };
}

/** The shard that owns a guild's events (a DM's: 0). */
export function shardOf(guildId: string | undefined, count: number): number {
  if (!guildId || !/^\d+$/.test(guildId) || count <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}
