import { createHash } from 'node:crypto';
import type { CasWrite, CommitIf } from './commit.js';

/**
 * Compare-and-set on Redis (see commit.ts): one Lua script, so nothing runs between reading the
 * rev and writing. KEYS[1] is the meta, KEYS[2..] the turns; ARGV[1] is '1' when a rev is
 * expected, ARGV[2] that rev, ARGV[3] the new meta, ARGV[4..] the turns' values. All keys of a
 * conversation share a hash tag (keys.ts), so the script is valid on Redis Cluster too.
 *
 * cjson refuses lone surrogate escapes, which JSON.stringify writes for such text (a summary
 * may hold it), so those escapes (an odd run of backslashes before `u`) become \ufffd before
 * decoding; a rev never holds one.
 */
const SCRIPT = String.raw`
local raw = redis.call('GET', KEYS[1])
local rev = false
if raw then
  local clean = string.gsub(raw, '(\\+)u([dD][89a-fA-F]%x%x)', function (run, hex)
    if #run % 2 == 1 then return run .. 'ufffd' end
  end)
  local stored = cjson.decode(clean)
  if type(stored) == 'table' and type(stored.value) == 'table' and type(stored.value.rev) == 'string' then
    rev = stored.value.rev
  end
end
if ARGV[1] == '1' then
  if rev ~= ARGV[2] then return 0 end
elseif rev then
  return 0
end
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 2]) end
redis.call('SET', KEYS[1], ARGV[3])
return 1
`;
const SHA1 = createHash('sha1').update(SCRIPT).digest('hex');

interface ScriptOptions {
  keys: string[];
  arguments: string[];
}

/** The two calls of a node-redis client (the one @keyv/redis uses) that run scripts. */
export interface ScriptRunner {
  evalSha(sha1: string, options: ScriptOptions): Promise<unknown>;
  eval(script: string, options: ScriptOptions): Promise<unknown>;
}

/** `connect` gives the client, connected (KeyvRedis.getClient() connects on first use). */
export function redisCommitIf(connect: () => Promise<ScriptRunner>): CommitIf {
  return async ({ metaKey, meta, expectRev, turns }: CasWrite) => {
    const client = await connect();
    const options = {
      keys: [metaKey, ...turns.map((t) => t.key)],
      arguments: [expectRev === undefined ? '0' : '1', expectRev ?? '', meta, ...turns.map((t) => t.value)],
    };
    let reply: unknown;
    try {
      reply = await client.evalSha(SHA1, options);
    } catch (error) {
      // A server that has not seen the script yet (or restarted) gets it once in full.
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      reply = await client.eval(SCRIPT, options);
    }
    return reply === 1;
  };
}
