import { createHash } from 'node:crypto';

interface ScriptOptions {
  keys: string[];
  arguments: string[];
}

/** The two calls of a node-redis client (the one @keyv/redis uses) that run scripts. */
export interface ScriptRunner {
  evalSha(sha1: string, options: ScriptOptions): Promise<unknown>;
  eval(script: string, options: ScriptOptions): Promise<unknown>;
}

export type RedisScript = (client: ScriptRunner, keys: string[], args: string[]) => Promise<unknown>;

/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full once when the server has not seen it
 * (or restarted). Every key a script touches is passed in `keys`, as Redis Cluster requires.
 */
export function redisScript(source: string): RedisScript {
  const sha1 = createHash('sha1').update(source).digest('hex');
  return async (client, keys, args) => {
    const options = { keys, arguments: args };
    try {
      return await client.evalSha(sha1, options);
    } catch (error) {
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error;
      return client.eval(source, options);
    }
  };
}
