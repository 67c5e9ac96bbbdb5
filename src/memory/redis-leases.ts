/**
 * Leases on Redis. The lease on a key is `<ns>:{c:<key>}:lease`, holding the holder's token and
 * expiring by itself (PX); its fence counter is `<ns>:{c:<key>}:fence` (never expires, so fences
 * keep growing). Both share the conversation's hash tag (keys.ts), so the fenced commit script
 * (redis-commit.ts) can read the lease while writing the conversation on Redis Cluster.
 *
 *   acquire  SET lease token NX PX ttl, and only then INCR fence, in one script
 *   renew    PEXPIRE lease ttl only while GET lease == token
 *   release  DEL lease only while GET lease == token
 */
import type { LeaseBackend } from './lease-handle.js';
import type { KeyLayout } from './keys.js';
import { redisScript } from './redis-script.js';
import type { ScriptRunner } from './redis-script.js';

const acquire = redisScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return -1
`);

const renew = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const release = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`);

export function redisLeaseBackend(client: ScriptRunner, keys: KeyLayout): LeaseBackend {
  return {
    tryAcquire: async (key, token, ttlMs) => {
      const fence = Number(await acquire(client, [keys.lease(key), keys.fence(key)], [token, String(ttlMs)]));
      return fence > 0 ? fence : undefined;
    },
    renew: async (key, token, ttlMs) => (await renew(client, [keys.lease(key)], [token, String(ttlMs)])) === 1,
    release: async (key, token) => {
      await release(client, [keys.lease(key)], [token]);
    },
  };
}
