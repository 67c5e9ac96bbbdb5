import type { CasWrite, CommitIf } from './commit.js';
import { redisScript } from './redis-script.js';
import type { ScriptRunner } from './redis-script.js';

/**
 * Compare-and-set on Redis (see commit.ts): one Lua script, so nothing runs between reading the
 * lease and the rev and writing. KEYS[1] is the meta, KEYS[2] the conversation's lease (the
 * meta again for an unfenced commit), KEYS[3..] the turns; ARGV[1] is '1' when a rev is
 * expected, ARGV[2] that rev, ARGV[3] the lease token ('' for an unfenced commit), ARGV[4] the
 * new meta, ARGV[5..] the turns' values. All keys of a
 * conversation, its lease included, share a hash tag (keys.ts), so the script is valid on Redis
 * Cluster too. Answers 1 written, 0 conflict, -1 lease lost (checked first).
 *
 * cjson refuses lone surrogate escapes, which JSON.stringify writes for such text (a summary
 * may hold it), so those escapes (an odd run of backslashes before `u`) become \ufffd before
 * decoding; a rev never holds one.
 */
const commit = redisScript(String.raw`
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[3] then return -1 end
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
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 2]) end
redis.call('SET', KEYS[1], ARGV[4])
return 1
`);

/** `connect` gives the client, connected (KeyvRedis.getClient() connects on first use). */
export function redisCommitIf(connect: () => Promise<ScriptRunner>): CommitIf {
  return async ({ metaKey, meta, expectRev, turns, lease }: CasWrite) => {
    const client = await connect();
    const reply = await commit(
      client,
      [metaKey, lease?.key ?? metaKey, ...turns.map((t) => t.key)],
      [expectRev === undefined ? '0' : '1', expectRev ?? '', lease?.token ?? '', meta, ...turns.map((t) => t.value)],
    );
    return reply === 1 ? 'written' : reply === -1 ? 'lease-lost' : 'conflict';
  };
}
