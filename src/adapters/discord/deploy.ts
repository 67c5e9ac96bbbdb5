import { REST, Routes, type APIApplication } from 'discord.js';
import type { CommandSpec } from '../../engine/spec.js';
import { toDiscordCommands } from './commands.js';
import { MUSE_PERMISSION_BITS } from './permissions.js';

export interface DeployOptions {
  token: string;
  commands: readonly CommandSpec[];
  /** Read from the API with the token when unset. */
  applicationId?: string | undefined;
  /** Registers for this server only (instant, for development); globally when unset. */
  guildId?: string | undefined;
  /** REST base (DISCORD_API_URL). */
  apiUrl?: string | undefined;
}

export interface DeployResult {
  applicationId: string;
  scope: 'guild' | 'global';
  names: string[];
  inviteUrl: string;
}

/** Registers Muse's application commands (the same specs every adapter uses). */
export async function deployCommands(opts: DeployOptions): Promise<DeployResult> {
  const body = toDiscordCommands(opts.commands);
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl.replace(/\/+$/, '') } : {}).setToken(opts.token);
  try {
    const applicationId = opts.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
    const route = opts.guildId ? Routes.applicationGuildCommands(applicationId, opts.guildId) : Routes.applicationCommands(applicationId);
    await rest.put(route, { body });
    return { applicationId, scope: opts.guildId ? 'guild' : 'global', names: body.map((c) => c.name), inviteUrl: inviteUrl(applicationId) };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

/** The invite link: bot + applications.commands, with exactly the permissions Muse needs. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({ client_id: applicationId, scope: 'bot applications.commands', permissions: MUSE_PERMISSION_BITS.toString() });
  return `https://discord.com/oauth2/authorize?${params.toString().replace(/\+/g, '%20')}`;
}

/** One clear sentence for a failed deploy (details go to the log). */
export function deployFailure(err: unknown): string {
  const status = (err as { status?: number } | null)?.status;
  if (status === 401) return 'Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal (Bot → Reset Token).';
  if (status === 403)
    return 'Discord refused to register the commands; check DISCORD_APPLICATION_ID and that Muse was invited to DISCORD_GUILD_ID with the applications.commands scope.';
  if (status === 404) return 'Discord does not know that application or server; check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID.';
  if (status === 400) return 'Discord rejected the command definitions; the details are in the log.';
  return 'The commands could not be registered with Discord; the details are in the log.';
}
