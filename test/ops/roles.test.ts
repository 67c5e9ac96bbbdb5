import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { rolePlan, serves } from '../../src/ops/roles.js';
import { shardIds, shardOf } from '../../src/ops/shards.js';
import { hardExitMs } from '../../src/ops/shutdown.js';

const REDIS = 'redis://127.0.0.1:6379';
const SLACK_HTTP = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

/** The problems loadConfig lists for `env`, one sentence each. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

describe('roles', () => {
  it('all is the default: one process, today’s behaviour, sqlite allowed, shutdown after 25 s and exit by 30 s', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'd', ...SLACK_HTTP });
    expect(config.MUSE_ROLE).toBe('all');
    expect(config.MUSE_DRAIN_MS).toBe(25_000);
    expect(hardExitMs(config.MUSE_DRAIN_MS)).toBe(30_000);
    expect(rolePlan(config)).toEqual({ role: 'all', discordShards: [0], shardCount: 1, slack: 'http', platforms: ['discord', 'slack'] });
    expect(rolePlan(loadConfig({ SLACK_BOT_TOKEN: 'x', SLACK_APP_TOKEN: 'xapp-1' })).slack).toBe('socket');
  });

  it('web serves Slack over HTTP only; gateway the Discord shards and Socket Mode only', () => {
    const shared = { MUSE_STORE_URL: REDIS, DISCORD_TOKEN: 'd', ...SLACK_HTTP, SLACK_APP_TOKEN: 'xapp-1' };
    expect(rolePlan(loadConfig({ ...shared, MUSE_ROLE: 'web' }))).toEqual({
      role: 'web',
      discordShards: [],
      shardCount: 1,
      slack: 'http',
      platforms: ['slack'],
    });
    expect(rolePlan(loadConfig({ ...shared, MUSE_ROLE: 'gateway' }))).toEqual({
      role: 'gateway',
      discordShards: [0],
      shardCount: 1,
      slack: 'socket',
      platforms: ['discord', 'slack'],
    });
    const noSocket = { ...shared, SLACK_APP_TOKEN: '' };
    expect(rolePlan(loadConfig({ ...noSocket, MUSE_ROLE: 'gateway' })).platforms).toEqual(['discord']);
  });

  it('a multi-process role on a one-process store is a configuration error with a sentence', () => {
    for (const store of ['sqlite://./data/x.sqlite', 'memory://']) {
      expect(problems({ MUSE_ROLE: 'web', MUSE_STORE_URL: store, ...SLACK_HTTP })).toEqual([
        'MUSE_ROLE: web is one of several processes, and they share conversations only through Redis or Postgres; set MUSE_STORE_URL to redis://… or postgresql://… (sqlite:// and memory:// belong to one process)',
      ]);
    }
    // The default store is SQLite.
    expect(problems({ MUSE_ROLE: 'gateway', DISCORD_TOKEN: 'd' })).toHaveLength(1);
    expect(problems({ MUSE_ROLE: 'gateway', DISCORD_TOKEN: 'd', MUSE_STORE_URL: 'postgresql://u:p@h/db' })).toEqual([]);
  });

  it('a role with nothing to run, or an unknown role, says so', () => {
    expect(problems({ MUSE_ROLE: 'web', MUSE_STORE_URL: REDIS, DISCORD_TOKEN: 'd' })).toEqual([
      'MUSE_ROLE: web serves Slack over HTTP and needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Discord and Socket Mode run in the gateway role; scale the web process to 0 if Slack does not call Muse over HTTP)',
    ]);
    expect(problems({ MUSE_ROLE: 'gateway', MUSE_STORE_URL: REDIS, ...SLACK_HTTP })).toEqual([
      'MUSE_ROLE: gateway runs the Discord shards and Slack Socket Mode, and needs DISCORD_TOKEN, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN',
    ]);
    expect(problems({ MUSE_ROLE: 'worker' })).toEqual(['MUSE_ROLE: must be web, gateway or all']);
  });
});

describe('shards', () => {
  const ids = (env: Record<string, string | number>) => shardIds({ MUSE_SHARD_COUNT: 1, ...env });

  it('MUSE_SHARDS: every shard by default, a list, or auto from DYNO=worker.N and MUSE_WORKERS', () => {
    expect(ids({ MUSE_SHARD_COUNT: 4 })).toEqual({ ids: [0, 1, 2, 3] });
    expect(ids({ MUSE_SHARD_COUNT: 4, MUSE_SHARDS: ' 2, 0 ' })).toEqual({ ids: [0, 2] });
    expect(ids({ MUSE_SHARD_COUNT: 8, MUSE_SHARDS: 'auto', MUSE_WORKERS: 3, DYNO: 'worker.2' })).toEqual({ ids: [1, 4, 7] });
    expect(ids({ MUSE_SHARD_COUNT: 8, MUSE_SHARDS: 'AUTO', MUSE_WORKERS: 3, DYNO: 'worker.3' })).toEqual({ ids: [2, 5] });
    expect(ids({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: 'auto', MUSE_WORKERS: 1, DYNO: 'worker.1' })).toEqual({ ids: [0, 1] });
  });

  it('each bad setting gets one sentence', () => {
    const problem = (env: Record<string, string | number>) => (ids(env) as { problem: string }).problem;
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: '0;1' })).toBe('MUSE_SHARDS: must be auto or a comma-separated list of shard ids (e.g. 0,2)');
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: '2' })).toBe('MUSE_SHARDS: shard 2 does not exist with MUSE_SHARD_COUNT=2 (ids go from 0 to 1)');
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: '1,1' })).toBe('MUSE_SHARDS: lists shard 1 twice');
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: 'auto', DYNO: 'worker.1' })).toBe(
      'MUSE_WORKERS: is needed for MUSE_SHARDS=auto (how many worker processes share the shards)',
    );
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: 'auto', MUSE_WORKERS: 2, DYNO: 'web.1' })).toBe(
      "DYNO: MUSE_SHARDS=auto needs DYNO=worker.N, as the platform sets it; elsewhere list this process's shard ids in MUSE_SHARDS",
    );
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: 'auto', MUSE_WORKERS: 2, DYNO: 'worker.3' })).toBe(
      'DYNO: worker.3 is not one of the MUSE_WORKERS=2 workers (worker.1 to worker.2)',
    );
    expect(problem({ MUSE_SHARD_COUNT: 2, MUSE_SHARDS: 'auto', MUSE_WORKERS: 3, DYNO: 'worker.3' })).toBe(
      'MUSE_SHARDS: with MUSE_SHARD_COUNT=2 and MUSE_WORKERS=3, worker.3 gets no shard; use at least as many shards as workers',
    );
    // Through loadConfig, with the variable's own checks.
    expect(problems({ MUSE_SHARD_COUNT: '0' })).toEqual(['MUSE_SHARD_COUNT: must be at least 1']);
    expect(problems({ DISCORD_TOKEN: 'd', MUSE_SHARD_COUNT: '2', MUSE_SHARDS: '0' })).toEqual([
      'MUSE_SHARDS: other processes run the other shards, and they share conversations only through Redis or Postgres; set MUSE_STORE_URL to redis://… or postgresql://…',
    ]);
  });

  it("a guild belongs to shard (id >> 22) % count, a DM to shard 0; a process serves only its shards' conversations", () => {
    const count = 3;
    const guilds = [0, 1, 2].map((s) => (BigInt(4200 * 3 + s) << 22n).toString());
    expect(guilds.map((g) => shardOf(g, count))).toEqual([0, 1, 2]);
    expect(shardOf('81384788765712384', 1)).toBe(0);
    const plan = rolePlan(loadConfig({ MUSE_STORE_URL: REDIS, MUSE_ROLE: 'gateway', DISCORD_TOKEN: 'd', MUSE_SHARD_COUNT: '3', MUSE_SHARDS: '1,2' }));
    const mine = serves(plan);
    expect(guilds.map((g) => mine({ platform: 'discord', workspace: g, channel: 'c' }))).toEqual([false, true, true]);
    expect(mine({ platform: 'discord', workspace: '@me', channel: 'd', dm: true })).toBe(false);
    expect(mine({ platform: 'slack', workspace: 'T1', channel: 'C1' })).toBe(false);
    const zero = serves(rolePlan(loadConfig({ MUSE_STORE_URL: REDIS, MUSE_ROLE: 'gateway', DISCORD_TOKEN: 'd', MUSE_SHARD_COUNT: '3', MUSE_SHARDS: '0' })));
    expect(zero({ platform: 'discord', workspace: '@me', channel: 'd', dm: true })).toBe(true);
  });
});
