/**
 * What one process runs (MUSE_ROLE, or --role):
 *   web      Slack over HTTP (events at POST /slack/events), /healthz, /readyz and /metrics on PORT
 *   gateway  the Discord shards (MUSE_SHARDS of MUSE_SHARD_COUNT) and Slack Socket Mode
 *   all      everything configured, in one process (the default; `npm start`)
 * web and gateway are meant to run as several processes, which share conversations, leases and
 * scheduled windows only through Redis or Postgres.
 */
import { shardIds, shardOf, type ShardSettings } from './shards.js';

export const ROLES = ['web', 'gateway', 'all'] as const;
export type Role = (typeof ROLES)[number];

/** What roles need from the configuration. */
export interface RoleSettings extends ShardSettings {
  MUSE_ROLE: Role;
  MUSE_STORE_URL: string;
  DISCORD_TOKEN?: string | undefined;
  SLACK_BOT_TOKEN?: string | undefined;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_SIGNING_SECRET?: string | undefined;
}

export interface RolePlan {
  role: Role;
  /** The Discord shards to run (none: no Discord here). */
  discordShards: number[];
  shardCount: number;
  /** How Slack reaches this process, if it does. */
  slack?: 'http' | 'socket';
  /** The platforms whose conversations (and scheduled jobs) this process serves. */
  platforms: string[];
}

/** Each configuration problem of the role, as one sentence (for loadConfig's list). */
export function roleProblems(s: RoleSettings): string[] {
  const problems: string[] = [];
  const shards = shardIds(s);
  if ('problem' in shards) problems.push(shards.problem);
  const local = /^(sqlite|memory):/i.test(s.MUSE_STORE_URL);
  if (local && s.MUSE_ROLE !== 'all') {
    problems.push(
      `MUSE_ROLE: ${s.MUSE_ROLE} is one of several processes, and they share conversations only through Redis or Postgres; set MUSE_STORE_URL to redis://… or postgresql://… (sqlite:// and memory:// belong to one process)`,
    );
  } else if (local && s.DISCORD_TOKEN && 'ids' in shards && shards.ids.length < s.MUSE_SHARD_COUNT) {
    problems.push(
      'MUSE_SHARDS: other processes run the other shards, and they share conversations only through Redis or Postgres; set MUSE_STORE_URL to redis://… or postgresql://…',
    );
  }
  if (s.MUSE_ROLE === 'web' && !(s.SLACK_BOT_TOKEN && s.SLACK_SIGNING_SECRET)) {
    problems.push(
      'MUSE_ROLE: web serves Slack over HTTP and needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Discord and Socket Mode run in the gateway role; scale the web process to 0 if Slack does not call Muse over HTTP)',
    );
  }
  if (s.MUSE_ROLE === 'gateway' && !s.DISCORD_TOKEN && !(s.SLACK_BOT_TOKEN && s.SLACK_APP_TOKEN)) {
    problems.push('MUSE_ROLE: gateway runs the Discord shards and Slack Socket Mode, and needs DISCORD_TOKEN, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN');
  }
  return problems;
}

/** What this process runs (the settings passed roleProblems). */
export function rolePlan(s: RoleSettings): RolePlan {
  const shards = shardIds(s);
  const discord = s.MUSE_ROLE !== 'web' && !!s.DISCORD_TOKEN;
  let slack: RolePlan['slack'];
  if (s.SLACK_BOT_TOKEN) {
    if (s.MUSE_ROLE === 'web') slack = 'http';
    else if (s.SLACK_APP_TOKEN) slack = 'socket';
    else if (s.MUSE_ROLE === 'all') slack = 'http';
  }
  return {
    role: s.MUSE_ROLE,
    discordShards: discord && 'ids' in shards ? shards.ids : [],
    shardCount: s.MUSE_SHARD_COUNT,
    ...(slack ? { slack } : {}),
    platforms: [...(discord ? ['discord'] : []), ...(slack ? ['slack'] : [])],
  };
}

/** Where a conversation is, as much as serves() needs of an engine ConversationRef. */
export interface Place {
  platform: string;
  workspace: string;
  dm?: boolean;
}

/**
 * Whether this process serves a conversation: its platform runs here and, on Discord, its guild
 * (a DM: shard 0) belongs to one of this process's shards. The scheduler runs only these jobs.
 */
export function serves(plan: RolePlan): <R extends Place>(ref: R) => boolean {
  const shards = new Set(plan.discordShards);
  return (ref) => {
    if (!plan.platforms.includes(ref.platform)) return false;
    if (ref.platform !== 'discord') return true;
    return shards.has(ref.dm ? 0 : shardOf(ref.workspace, plan.shardCount));
  };
}
