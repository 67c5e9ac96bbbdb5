/**
 * Coordination on Redis, over the store's own node-redis client (connected when the store
 * opened). Key layout: leases and fences in keys.ts and redis-leases.ts, jobs in redis-jobs.ts;
 * records are the store's `<ns>:r:<key>` strings and dedupe claims `<ns>:d:<key>`. Each of
 * these scripts touches one key, or keys under one hash tag, so all of it runs on Redis Cluster.
 *
 *   records  GET, then one script: SET (or DEL) only while GET still equals what was read
 *   dedupe   SET key 1 NX PX ttl
 */
import type { RedisClientType } from '@keyv/redis';
import type { Coordination } from './coordination.js';
import { failOpen } from './dedupe.js';
import type { KeyLayout } from './keys.js';
import { PollingLeases } from './lease-handle.js';
import { RedisJobStore } from './redis-jobs.js';
import type { RedisJobClient } from './redis-jobs.js';
import { redisLeaseBackend } from './redis-leases.js';
import { redisScript } from './redis-script.js';
import { CasRecords } from './records.js';

const swap = redisScript(`
local stored = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if stored ~= ARGV[2] then return 0 end
elseif stored then
  return 0
end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[4]) else redis.call('DEL', KEYS[1]) end
return 1
`);

/** The calls coordination makes on a node-redis client. */
export interface RedisCoordinationClient extends RedisJobClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<string | null>;
}

export function redisCoordination(
  client: RedisClientType,
  keys: KeyLayout,
  namespace: string,
  timeoutMs: number,
  onError: (error: unknown) => void,
): Coordination {
  const redis = client as unknown as RedisCoordinationClient;
  return {
    kind: 'redis',
    shared: true,
    client,
    leases: new PollingLeases(redisLeaseBackend(redis, keys), timeoutMs, onError),
    jobs: new RedisJobStore(redis, namespace, timeoutMs),
    records: new CasRecords(
      {
        read: async (key) => (await redis.get(key)) ?? undefined,
        swap: async (key, expected, next) =>
          (await swap(redis, [key], [expected === undefined ? '0' : '1', expected ?? '', next === undefined ? '0' : '1', next ?? ''])) === 1,
      },
      keys.record,
      timeoutMs,
    ),
    dedupe: failOpen(
      async (key, ttlMs) => (await redis.set(keys.dedupe(key), '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK',
      timeoutMs,
      onError,
    ),
  };
}
