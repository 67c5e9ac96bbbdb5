/**
 * The job store with claims on Redis. A platform's jobs share the hash tag `{j:<platform>}`
 * (platform URI-encoded), so each script below touches one Redis Cluster slot:
 *
 *   <ns>:{j:<platform>}:due                  sorted set: job → when it may be claimed (its dueAt,
 *                                            or the end of a claim's visibility timeout)
 *   <ns>:{j:<platform>}:jobs                 hash: job → the job's JSON
 *   <ns>:{j:<platform>}:ids                  hash: job → the job's id (checked by complete/remove)
 *   <ns>:{j:<platform>}:c:<conversation>     set: the conversation's jobs (for removeAll)
 *
 * where a job is named by the JSON of [conversation key, job name]. claim() is one script per
 * platform: ZRANGEBYSCORE -inf now LIMIT, then each job re-scored to now + visibilityMs;
 * release() scores it back to its dueAt while its id is unchanged.
 */
import { conversationKey, platformOfKey } from './conversation-key.js';
import type { Job } from './jobs.js';
import { checkClaim } from './coordination.js';
import type { ClaimingJobStore, ClaimOptions } from './coordination.js';
import { guarded } from './guard.js';
import { redisScript } from './redis-script.js';
import type { ScriptRunner } from './redis-script.js';

const put = redisScript(`
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 1
`);

const remove = redisScript(`
local id = redis.call('HGET', KEYS[3], ARGV[1])
if not id then return 0 end
if ARGV[2] == '1' and id ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
`);

const removeAll = redisScript(`
local jobs = redis.call('SMEMBERS', KEYS[4])
for _, job in ipairs(jobs) do
  redis.call('HDEL', KEYS[2], job)
  redis.call('HDEL', KEYS[3], job)
  redis.call('ZREM', KEYS[1], job)
end
redis.call('DEL', KEYS[4])
return #jobs
`);

const claim = redisScript(`
local jobs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, job in ipairs(jobs) do
  local body = redis.call('HGET', KEYS[2], job)
  if body then
    redis.call('ZADD', KEYS[1], ARGV[2], job)
    out[#out + 1] = body
  else
    redis.call('ZREM', KEYS[1], job)
  end
end
return out
`);

const release = redisScript(`
if redis.call('HGET', KEYS[3], ARGV[1]) == ARGV[2] then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
  return 1
end
return 0
`);

export interface RedisJobClient extends ScriptRunner {
  hVals(key: string): Promise<string[]>;
}

export class RedisJobStore implements ClaimingJobStore {
  private readonly prefix: string;

  constructor(
    private readonly client: RedisJobClient,
    namespace: string,
    private readonly timeoutMs: number,
  ) {
    this.prefix = namespace ? `${namespace}:` : '';
  }

  put(job: Job): Promise<void> {
    const conversation = conversationKey(job.conversation);
    return this.run(async () => {
      await put(this.client, this.keys(job.conversation.platform, conversation), [
        member(conversation, job.name),
        JSON.stringify(job),
        job.id,
        String(job.dueAt),
      ]);
    });
  }

  remove(conversation: string, name: string, id?: string): Promise<void> {
    return this.run(async () => {
      await remove(this.client, this.keys(platformOfKey(conversation), conversation), [member(conversation, name), id === undefined ? '0' : '1', id ?? '']);
    });
  }

  removeAll(conversation: string): Promise<void> {
    return this.run(async () => {
      await removeAll(this.client, this.keys(platformOfKey(conversation), conversation), []);
    });
  }

  async due(now: number, platforms: readonly string[]): Promise<Job[]> {
    return (await this.pending(platforms)).filter((job) => job.dueAt <= now);
  }

  pending(platforms: readonly string[]): Promise<Job[]> {
    return this.run(async () => {
      const lists = await Promise.all([...new Set(platforms)].map((platform) => this.client.hVals(this.keys(platform, '')[1])));
      return earliestFirst(lists.flat().map((body) => JSON.parse(body) as Job));
    });
  }

  async claim(now: number, platforms: readonly string[], options: ClaimOptions): Promise<Job[]> {
    checkClaim(options);
    const claimed: Job[] = [];
    // One script per platform (each is its own slot), until `limit` jobs are claimed.
    for (const platform of new Set(platforms)) {
      const left = options.limit - claimed.length;
      if (left <= 0) break;
      const [due, jobs] = this.keys(platform, '');
      const bodies = (await this.run(() => claim(this.client, [due, jobs], [String(now), String(now + options.visibilityMs), String(left)]))) as string[];
      claimed.push(...bodies.map((body) => JSON.parse(body) as Job));
    }
    return earliestFirst(claimed);
  }

  release(job: Job): Promise<void> {
    const conversation = conversationKey(job.conversation);
    return this.run(async () => {
      await release(this.client, this.keys(job.conversation.platform, conversation), [member(conversation, job.name), job.id, String(job.dueAt)]);
    });
  }

  complete(job: Job): Promise<void> {
    return this.remove(conversationKey(job.conversation), job.name, job.id);
  }

  /** [due, jobs, ids, the conversation's set] of a platform. */
  private keys(platform: string, conversation: string): [string, string, string, string] {
    const tag = `${this.prefix}{j:${encodeURIComponent(platform)}}`;
    return [`${tag}:due`, `${tag}:jobs`, `${tag}:ids`, `${tag}:c:${conversation}`];
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    return guarded(this.timeoutMs, operation);
  }
}

function member(conversation: string, name: string): string {
  return JSON.stringify([conversation, name]);
}

export function earliestFirst(jobs: Job[]): Job[] {
  return jobs.sort((a, b) => a.dueAt - b.dueAt);
}
