import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Engine } from '../../engine/engine.js';
import type { Logger } from '../../util/log.js';
import type { DiscordContext } from './context.js';
import { gatewaySettled, shardsReady } from './gateway.js';
import { handleInteraction } from './interactions.js';
import { handleMessage } from './messages.js';
import { discordOutbox } from './outbox.js';
import type { Download } from '../../net/download.js';
import { discordFileHosts } from '../../net/file-hosts.js';

export interface DiscordStartOptions {
  engine: Engine;
  token: string;
  /** REST base (DISCORD_API_URL), e.g. https://discord.com/api; the gateway is discovered through it. */
  apiUrl?: string;
  /** Only checked against the id Discord reports (the client learns its id at login). */
  applicationId?: string;
  log: Logger;
  /** A role name that may use persona use / memory clear besides Manage Channels (MUSE_MANAGER_ROLE). */
  managerRole?: string;
  /** Least time between two edits of a streaming reply (default 1000 ms). */
  editIntervalMs?: number;
  /** Give up waiting for the gateway after this long (default 60 s). */
  readyTimeoutMs?: number;
  /** Fetches files attached to commands (default: fetch; tests may point it elsewhere). */
  download?: Download;
  /** Largest attached file taken (default 8 MB). */
  maxAttachmentBytes?: number;
  /**
   * The shards this process runs, of `shardCount` (MUSE_SHARDS, MUSE_SHARD_COUNT; default: the
   * one shard of 1). Discord sends each guild's events to its shard and DMs to shard 0.
   */
  shards?: readonly number[];
  shardCount?: number;
}

export interface DiscordHandle {
  client: Client;
  /** Resolves when no event is being handled (replies finished); for tests and shutdown. */
  idle: () => Promise<void>;
  /** True while every shard is connected (for /readyz). */
  ready: () => boolean;
  /** Stops handing new messages and interactions to the engine (shutdown); the gateway stays connected for the replies in flight. */
  pause: () => void;
  /** Lets a reconnecting gateway come back and replies in progress finish, then disconnects (once; later calls wait for the same stop). */
  stop: () => Promise<void>;
}

/** Logs in with the minimal intents and answers slash commands, buttons, mentions and DMs. */
export async function startDiscord(opts: DiscordStartOptions): Promise<DiscordHandle> {
  const { log } = opts;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: { parse: [], repliedUser: false },
    ...(opts.shards ? { shards: [...opts.shards], shardCount: opts.shardCount ?? Math.max(...opts.shards) + 1 } : {}),
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl.replace(/\/+$/, '') } } : {}),
  });
  const ctx: DiscordContext = {
    engine: opts.engine,
    log,
    managerRole: opts.managerRole,
    render: { editIntervalMs: opts.editIntervalMs ?? 1000 },
    fileHosts: discordFileHosts(opts.apiUrl),
    download: opts.download,
    maxAttachmentBytes: opts.maxAttachmentBytes,
  };
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  // Paused (shutting down): new events are left to the process that takes over the shard.
  let paused = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (paused) log.info({ interaction: interaction.id }, 'discord: shutting down; an interaction was left unanswered');
    else track(handleInteraction(interaction, ctx));
  });
  client.on(Events.MessageCreate, (message) => {
    if (!paused) track(handleMessage(message, ctx));
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord gateway disconnected'));

  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(opts.readyTimeoutMs ?? 60_000) });
  ready.catch(() => undefined);
  try {
    await client.login(opts.token);
    await ready;
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw new Error(loginFailure(err), { cause: err });
  }
  const me = client.application?.id;
  if (opts.applicationId && me && opts.applicationId !== me) {
    log.warn({ configured: opts.applicationId, actual: me }, "DISCORD_APPLICATION_ID does not match the application of DISCORD_TOKEN; using the token's");
  }
  log.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.options.shards, shardCount: client.options.shardCount },
    'discord connected',
  );
  // What Muse says unasked (a vote closing) goes to the conversation's channel, thread or DM.
  const outbox = discordOutbox(client, ctx);
  const detach = opts.engine.attach('discord', (ref, parts) => {
    const work = outbox(ref, parts);
    track(work);
    return work;
  });
  const idle = async () => {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  };
  let stopping: Promise<void> | undefined;
  return {
    client,
    idle,
    ready: () => shardsReady(client),
    pause() {
      paused = true;
    },
    stop() {
      stopping ??= (async () => {
        detach();
        // A gateway that is reconnecting cannot be closed for good: let it come back first (it
        // also delivers what was missed, answered before idle() resolves), then disconnect.
        if (!(await gatewaySettled(client, RECONNECT_WAIT_MS))) log.warn('discord gateway still reconnecting at shutdown; disconnecting anyway');
        await idle();
        await client.destroy();
      })();
      return stopping;
    },
  };
}

/** How long stop() waits for a reconnecting gateway before disconnecting anyway. */
const RECONNECT_WAIT_MS = 10_000;

function loginFailure(err: unknown): string {
  const e = err as { code?: string; name?: string } | null;
  if (e?.code === 'TokenInvalid') return 'Discord rejected DISCORD_TOKEN; copy the bot token again from the Developer Portal (Bot → Reset Token).';
  if (e?.code === 'DisallowedIntents')
    return 'Discord refused the Message Content intent; enable it in the Developer Portal (Bot → Privileged Gateway Intents) or Muse cannot read mentions and DMs.';
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError')
    return 'Muse connected to Discord but the gateway never became ready; check the network and try again.';
  return 'Muse could not connect to Discord; the details are in the log.';
}
