/**
 * A loopback fake Discord for tests and the bench: the REST routes discord.js uses (recorded,
 * with messages kept so a test can read what users would see) and a WebSocket gateway
 * (`fake-gateway.ts`: heartbeats, sessions, resume and replay, fault controls) that a test
 * dispatches INTERACTION_CREATE, MESSAGE_CREATE and others through.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { FakeWebhooks } from './fake-discord-webhooks.js';
import { FakeGateway, shardOfGuild, type Shard } from './fake-gateway.js';

export interface RecordedRequest {
  method: string;
  /** Path without the /api/v10 prefix, percent-decoded per segment ('@original'). */
  path: string;
  query: URLSearchParams;
  /** JSON body, or the payload_json of a multipart body. */
  body: any;
  files: Array<{ field: string; name: string; content: string }>;
  status: number;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export type Stored = Record<string, any> & { id: string; channel_id: string; content: string };

interface InteractionRecord {
  id: string;
  token: string;
  channelId: string;
  guildId?: string;
  originalId?: string;
  /** For a click: the message the button is on (the "original" after deferUpdate / update). */
  messageId?: string;
}

/** A file a user attaches to a slash command; the fake serves it on its own (loopback) CDN. */
export interface FakeAttachment {
  name: string;
  contentType?: string;
  content: string | Uint8Array;
  /** The size Discord announces (default: the content's). */
  size?: number;
  /** The URL announced for it (default: the fake's own CDN). */
  url?: string;
}

interface RateLimitRule {
  match: (method: string, path: string) => boolean;
  retryAfter: number;
  global: boolean;
  remaining: number;
}

const EPOCH = 1420070400000n;
let counter = 0n;
/** A fresh snowflake (19 digits, with a real timestamp). */
export function snowflake(): string {
  counter = (counter + 1n) % 4096n;
  return (((BigInt(Date.now()) - EPOCH) << 22n) | (counter & 4095n)).toString();
}

/** Permission bits used by the fake's members and roles. */
export const P = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageChannels: 1n << 4n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  CreatePublicThreads: 1n << 35n,
  ManageThreads: 1n << 34n,
  SendMessagesInThreads: 1n << 38n,
  ManageWebhooks: 1n << 29n,
};
export const MEMBER_PERMS = P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.SendMessagesInThreads;
export const APP_PERMS = MEMBER_PERMS | P.EmbedLinks | P.AttachFiles | P.CreatePublicThreads | P.ManageWebhooks;

export interface FakeDiscordOptions {
  token?: string;
  /** HELLO's heartbeat_interval (default 41,250 ms, as Discord's); small in fault tests. */
  heartbeatIntervalMs?: number;
}

export class FakeDiscord extends EventEmitter {
  readonly token: string;
  readonly requests: RecordedRequest[] = [];
  readonly commandRegistrations: Array<{ scope: 'global' | 'guild'; guildId?: string; body: any[] }> = [];
  readonly messages = new Map<string, Stored>();
  readonly channels = new Map<string, any>();
  readonly appId = snowflake();
  readonly bot: FakeUser = { id: this.appId, username: 'Muse', global_name: 'Muse', discriminator: '0', avatar: null, bot: true };
  /** A member with Manage Channels. */
  readonly alice: FakeUser = user('alice', 'Alice');
  /** A member without it. */
  readonly bob: FakeUser = user('bob', 'Bob');
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly managerRoleId = snowflake();
  apiUrl = '';
  private gatewayUrl = '';
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly cdn = new Map<string, FakeAttachment>();
  /** Paths of CDN downloads, in order. */
  readonly downloads: string[] = [];
  private readonly dms = new Map<string, any>();
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  /** The WebSocket gateway: sessions, heartbeats, resume, and its fault controls. */
  readonly gateway: FakeGateway;
  /** What Muse may do in the guild's channels, as REST checks it (deleting a thread needs Manage Threads). */
  botPermissions: bigint = APP_PERMS;
  /** The threads deleted through REST, by id. */
  readonly deletedChannels = new Map<string, any>();
  /** Channel webhooks (the cast): create, list, execute; `webhooks.allowed = false` takes Manage Webhooks away. */
  readonly webhooks = new FakeWebhooks({
    appId: this.appId,
    bot: this.bot,
    channels: this.channels,
    snowflake,
    post: (channelId, fields) => {
      const channel = this.channels.get(channelId);
      const msg: Stored = { ...this.baseMessage(channelId, '', this.bot), ...(channel?.guild_id ? { guild_id: channel.guild_id } : {}), ...fields };
      this.messages.set(msg.id, msg);
      return clean(msg);
    },
  });
  /** The guilds Muse is in: the default one (guildId), then those added by addGuild(). */
  private readonly guilds: Array<{ id: string; managerRoleId: string }> = [];

  private constructor(opts: FakeDiscordOptions) {
    super();
    this.setMaxListeners(0);
    this.token = opts.token ?? 'fake-bot-token';
    this.channels.set(this.channelId, {
      id: this.channelId,
      type: 0,
      guild_id: this.guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
    });
    this.guilds.push({ id: this.guildId, managerRoleId: this.managerRoleId });
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.gateway = new FakeGateway(this.wss, {
      token: this.token,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
      url: () => this.gatewayUrl,
      ready: (shard) => ({
        v: 10,
        user: this.bot,
        guilds: this.guildsOf(shard).map((g) => ({ id: g.id, unavailable: true })),
        shard,
        application: { id: this.appId, flags: 0 },
        private_channels: [],
        relationships: [],
      }),
      afterReady: (shard) => this.guildsOf(shard).map((g) => ({ t: 'GUILD_CREATE', d: this.guildCreate(g) })),
    });
    this.gateway.on('change', () => this.emit('gateway'));
  }

  /** IDENTIFY payloads received, in order. */
  get identifies(): any[] {
    return this.gateway.identifies;
  }

  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.apiUrl = `http://127.0.0.1:${port}/api`;
    fake.gatewayUrl = `ws://127.0.0.1:${port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.gateway.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------- test controls ----------

  /** Answers the next `times` requests matching with 429 and a retry_after in seconds. */
  rateLimit(match: (method: string, path: string) => boolean, opts: { retryAfter?: number; global?: boolean; times?: number } = {}): void {
    this.rateLimits.push({ match, retryAfter: opts.retryAfter ?? 0.05, global: !!opts.global, remaining: opts.times ?? 1 });
  }

  /** Sends a gateway dispatch to every session (queued for one that is away, replayed on its RESUME). */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  /** Resolves with the first recorded request (already seen or future) the predicate accepts. */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.until(() => this.requests.find(pred), timeoutMs);
  }

  /** Re-evaluates `check` after every request and every gateway frame or connection change until it returns a value. */
  until<T>(check: () => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
    const now = check();
    if (now) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.off('request', onEvent);
        this.off('gateway', onEvent);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error('FakeDiscord.until: timed out'));
      }, timeoutMs);
      const onEvent = () => {
        const value = check();
        if (!value) return;
        stop();
        resolve(value);
      };
      this.on('request', onEvent);
      this.on('gateway', onEvent);
    });
  }

  /** Messages currently in a channel, oldest first (deleted ones left out). */
  messagesIn(channelId: string): Stored[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted);
  }

  /** The original reply and follow-ups of an interaction, oldest first. */
  repliesTo(token: string): Stored[] {
    return [...this.messages.values()].filter((m) => m.interaction_token === token && !m.deleted);
  }

  /** The DM channel id opened with a user, if any. */
  dmWith(userId: string): string | undefined {
    return this.dms.get(userId)?.id;
  }

  /** Every message payload Muse sent (POST/PATCH with content), for checks like allowed_mentions. */
  messagePayloads(): RecordedRequest[] {
    return this.requests.filter((r) => (r.method === 'POST' || r.method === 'PATCH') && r.body && typeof r.body.content === 'string');
  }

  // ---------- event builders ----------

  /** Dispatches a slash command (or its autocomplete) and returns the interaction's id and token. */
  slash(opts: {
    name: string;
    /** A subcommand, or a group's: "cast add". */
    subcommand?: string;
    /** Option values as Discord sends them: strings (type 3), integers (4), other numbers (10), booleans (5). */
    options?: Record<string, string | number | boolean>;
    user?: FakeUser;
    permissions?: bigint;
    roles?: string[];
    channelId?: string;
    dm?: boolean;
    appPermissions?: bigint;
    focused?: string;
    /** Files for attachment options, by option name. */
    attachments?: Record<string, FakeAttachment>;
    /** The user's client language (Discord's interaction `locale`; default en-US). */
    locale?: string;
  }): { id: string; token: string } {
    const typeOf = (value: string | number | boolean) => (typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3);
    const leaf: any[] = Object.entries(opts.options ?? {}).map(([name, value]) => ({
      type: typeOf(value),
      name,
      value,
      ...(opts.focused === name ? { focused: true } : {}),
    }));
    const resolved: Record<string, any> = {};
    for (const [name, file] of Object.entries(opts.attachments ?? {})) {
      const served = this.served(file);
      resolved[served.id] = served;
      leaf.push({ type: 11, name, value: served.id });
    }
    // "cast add": a subcommand (type 1) inside its group (type 2), as Discord nests them.
    const [group, inner] = (opts.subcommand ?? '').split(' ');
    const options = !opts.subcommand
      ? leaf
      : inner
        ? [{ type: 2, name: group, options: [{ type: 1, name: inner, options: leaf }] }]
        : [{ type: 1, name: opts.subcommand, options: leaf }];
    const data: any = { id: snowflake(), name: opts.name, type: 1, options };
    if (Object.keys(resolved).length) data.resolved = { attachments: resolved };
    return this.interaction(opts.focused ? 4 : 2, data, opts);
  }

  /** Dispatches a click on a button of a stored message (as it now stands), in its channel or DM. */
  click(opts: { message: Stored; customId: string; user?: FakeUser; permissions?: bigint; locale?: string }): { id: string; token: string } {
    const current = this.messages.get(opts.message.id) ?? opts.message;
    const { interaction_token: _t, deleted: _d, deferred: _f, ...message } = current;
    const channel = this.channels.get(current.channel_id);
    const dm = channel?.type === 1;
    return this.interaction(
      3,
      { custom_id: opts.customId, component_type: 2 },
      { ...opts, channelId: current.channel_id, message, ...(dm ? { dm: true } : {}) },
    );
  }

  /**
   * Adds a guild (with a text channel) that Muse is in; with `shard`, one whose events go to
   * that shard of the given count. Sessions already connected get its GUILD_CREATE.
   */
  addGuild(opts: { shard?: Shard } = {}): { guildId: string; channelId: string } {
    let id = BigInt(snowflake());
    if (opts.shard) {
      const [want, count] = opts.shard;
      const ts = id >> 22n;
      id = ((ts + BigInt((want - shardOfGuild(id.toString(), count) + count) % count)) << 22n) | (id & 4095n);
    }
    const guild = { id: id.toString(), managerRoleId: snowflake() };
    const channelId = snowflake();
    this.guilds.push(guild);
    this.channels.set(channelId, { ...this.channels.get(this.channelId), id: channelId, guild_id: guild.id, name: 'general' });
    this.dispatch('GUILD_CREATE', this.guildCreate(guild));
    return { guildId: guild.id, channelId };
  }

  /** Makes a user known to the fake (a third player, say). */
  addUser(username: string, globalName: string | null): FakeUser {
    return user(username, globalName);
  }

  /** Dispatches MESSAGE_CREATE from a user; returns the stored message. */
  say(opts: {
    content: string;
    user?: FakeUser;
    channelId?: string;
    dm?: boolean;
    mentionsBot?: boolean;
    replyTo?: Stored;
    permissions?: bigint;
    /** Files attached to the message, served by the fake's CDN. */
    attachments?: FakeAttachment[];
  }): Stored {
    const author = opts.user ?? this.alice;
    const channelId = opts.dm ? this.openDm(author).id : (opts.channelId ?? this.channelId);
    const guild = opts.dm ? undefined : (this.channels.get(channelId)?.guild_id ?? this.guildId);
    const mentions: any[] = [];
    if (opts.mentionsBot) mentions.push(this.bot);
    if (opts.replyTo && opts.replyTo.author.id === this.bot.id && !mentions.length) mentions.push(this.bot);
    const message: Stored = {
      ...this.baseMessage(channelId, opts.content, author),
      ...(guild ? { guild_id: guild, member: this.member(author, [], opts.permissions) } : {}),
      channel_type: this.channels.get(channelId)?.type ?? 0,
      mentions,
      attachments: (opts.attachments ?? []).map((file) => this.served(file)),
      type: opts.replyTo ? 19 : 0,
      ...(opts.replyTo
        ? {
            message_reference: { type: 0, message_id: opts.replyTo.id, channel_id: opts.replyTo.channel_id, ...(guild ? { guild_id: guild } : {}) },
            referenced_message: opts.replyTo,
          }
        : {}),
    };
    delete (message as { member?: { user?: unknown } }).member?.user;
    this.messages.set(message.id, message);
    this.dispatch('MESSAGE_CREATE', message);
    return message;
  }

  // ---------- internals ----------

  /** A file put on the fake's CDN, as Discord describes an attachment. */
  private served(file: FakeAttachment): { id: string; filename: string; size: number; url: string; proxy_url: string; content_type?: string } {
    const id = snowflake();
    this.cdn.set(id, file);
    const size = file.size ?? (typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength);
    const url = file.url ?? `${this.apiUrl.replace(/\/api$/, '')}/cdn/attachments/${id}/${encodeURIComponent(file.name)}`;
    return { id, filename: file.name, size, url, proxy_url: url, ...(file.contentType ? { content_type: file.contentType } : {}) };
  }

  private interaction(
    type: number,
    data: any,
    opts: {
      user?: FakeUser;
      permissions?: bigint;
      roles?: string[];
      channelId?: string;
      dm?: boolean;
      appPermissions?: bigint;
      message?: any;
      locale?: string;
    },
  ): { id: string; token: string } {
    const who = opts.user ?? this.alice;
    const id = snowflake();
    const token = `tok_${id}`;
    const dmChannel = opts.dm ? this.openDm(who) : undefined;
    const channelId = dmChannel?.id ?? opts.channelId ?? this.channelId;
    const channel = dmChannel ?? this.channels.get(channelId);
    this.interactions.set(token, {
      id,
      token,
      channelId,
      ...(opts.dm ? {} : { guildId: this.guildId }),
      ...(opts.message ? { messageId: opts.message.id } : {}),
    });
    const payload: any = {
      id,
      application_id: this.appId,
      type,
      token,
      version: 1,
      data,
      channel: channel,
      channel_id: channelId,
      app_permissions: String(opts.appPermissions ?? APP_PERMS),
      locale: opts.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: { 0: this.guildId },
      context: opts.dm ? 1 : 0,
      attachment_size_limit: 10_485_760,
      ...(opts.message ? { message: opts.message } : {}),
    };
    if (opts.dm) payload.user = who;
    else {
      const permissions = opts.permissions ?? (who === this.alice ? MEMBER_PERMS | P.ManageChannels : MEMBER_PERMS);
      Object.assign(payload, { guild_id: this.guildId, guild_locale: 'en-US', member: this.member(who, opts.roles ?? [], permissions) });
    }
    this.dispatch('INTERACTION_CREATE', payload);
    return { id, token };
  }

  private member(who: FakeUser, roles: string[], permissions?: bigint): any {
    return {
      user: who,
      roles,
      nick: null,
      avatar: null,
      joined_at: new Date(0).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      ...(permissions === undefined ? {} : { permissions: String(permissions) }),
    };
  }

  private openDm(who: FakeUser): any {
    let dm = this.dms.get(who.id);
    if (!dm) {
      dm = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [who] };
      this.dms.set(who.id, dm);
      this.channels.set(dm.id, dm);
    }
    return dm;
  }

  private baseMessage(channelId: string, content: string, author: FakeUser): Stored {
    return {
      id: snowflake(),
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }

  private guildsOf([id, count]: Shard): Array<{ id: string; managerRoleId: string }> {
    return this.guilds.filter((g) => shardOfGuild(g.id, count) === id);
  }

  private guildCreate(guild: { id: string; managerRoleId: string }): any {
    const role = (id: string, name: string, permissions: bigint, position: number) => ({
      id,
      name,
      permissions: String(permissions),
      position,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    });
    return {
      id: guild.id,
      name: 'Muse Test',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.alice.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      features: [],
      emojis: [],
      stickers: [],
      roles: [role(guild.id, '@everyone', MEMBER_PERMS, 0), role(guild.managerRoleId, 'Game Master', 0n, 1)],
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [{ ...this.member(this.bot, []), user: this.bot }],
      channels: [...this.channels.values()].filter((c) => c.guild_id === guild.id && c.type === 0),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cdn = /^\/cdn\/attachments\/(\d+)\//.exec(url.pathname);
    if (cdn) {
      this.downloads.push(url.pathname);
      const file = this.cdn.get(cdn[1]!);
      if (!file) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream' }).end(Buffer.from(file.content));
      return;
    }
    const path = url.pathname
      .replace(/^\/api/, '')
      .replace(/^\/v\d+/, '')
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const { body, files } = await parseBody(raw, String(req.headers['content-type'] ?? ''));
    const record: RecordedRequest = { method, path, query: url.searchParams, body, files, status: 0, at };

    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      this.requests.push(record);
      res.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
      this.emit('request', record);
    };

    // Discord refuses message content over 2,000 characters (also inside interaction callbacks).
    const content =
      (body as { content?: unknown; data?: { content?: unknown } } | undefined)?.content ??
      (body as { data?: { content?: unknown } } | undefined)?.data?.content;
    if (typeof content === 'string' && content.length > 2000) {
      send(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
      });
      return;
    }

    const limit = this.rateLimits.find((r) => r.remaining > 0 && r.match(method, path));
    if (limit) {
      limit.remaining--;
      const s = String(limit.retryAfter);
      send(
        429,
        { message: 'You are being rate limited.', retry_after: limit.retryAfter, global: limit.global },
        {
          'retry-after': s,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': s,
          'x-ratelimit-bucket': 'fakebucket',
          'x-ratelimit-scope': limit.global ? 'global' : 'user',
          ...(limit.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      );
      return;
    }
    const needsAuth = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
    if (needsAuth && req.headers.authorization !== `Bot ${this.token}`) {
      send(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    try {
      const out = this.route(method, path, url.searchParams, body, files);
      if (!out) send(404, { message: '404: Not Found', code: 0 });
      else send(out.status ?? 200, out.json);
    } catch (err) {
      send(500, { message: String(err), code: 0 });
    }
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: any,
    files: RecordedRequest['files'],
  ): { status?: number; json?: unknown } | undefined {
    let m: RegExpExecArray | null;
    const is = (verb: string, re: RegExp) => method === verb && (m = re.exec(path)) !== null;
    const hooked = this.webhooks.route(method, path, query, body);
    if (hooked) return hooked;
    if (is('GET', /^\/gateway\/bot$/)) {
      return { json: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } } };
    }
    if (is('GET', /^\/gateway$/)) return { json: { url: this.gatewayUrl } };
    if (is('GET', /^\/users\/@me$/)) return { json: this.bot };
    if (is('GET', /^\/(?:oauth2\/)?applications\/@me$/)) {
      return {
        json: {
          id: this.appId,
          name: 'Muse',
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: 'x',
          flags: 0,
          bot: this.bot,
        },
      };
    }
    if (is('PUT', /^\/applications\/(\d+)\/commands$/)) {
      this.commandRegistrations.push({ scope: 'global', body });
      return { json: (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, version: snowflake() })) };
    }
    if (is('PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/)) {
      this.commandRegistrations.push({ scope: 'guild', guildId: m![2]!, body });
      return { json: (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.appId, guild_id: m![2], version: snowflake() })) };
    }
    if (is('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/)) {
      const it = this.interactions.get(m![2]!);
      if (!it) return { status: 404, json: { message: 'Unknown interaction', code: 10062 } };
      if ((body?.type === 6 || body?.type === 7) && it.messageId) {
        // deferUpdate / update: the "original" is the message the clicked button is on.
        it.originalId = it.messageId;
        const msg = this.messages.get(it.messageId);
        if (msg && body.type === 7) Object.assign(msg, this.messageFields(body.data ?? {}, files), { edited_timestamp: new Date().toISOString() });
      }
      if (body?.type === 4 || body?.type === 5) {
        const msg: Stored = {
          ...this.baseMessage(it.channelId, body.data?.content ?? '', this.bot),
          ...(it.guildId ? { guild_id: it.guildId } : {}),
          ...this.messageFields(body.data ?? {}, files),
          webhook_id: this.appId,
          application_id: this.appId,
          interaction_token: it.token,
          deferred: body.type === 5,
        };
        if (body.type === 5) msg.flags = (body.data?.flags ?? 0) | 128;
        this.messages.set(msg.id, msg);
        it.originalId = msg.id;
      }
      return query.get('with_response') === 'true' ? { json: { interaction: { id: it.id, type: 2 } } } : { status: 204 };
    }
    if (is('POST', /^\/webhooks\/(\d+)\/([^/]+)$/)) {
      const it = this.interactions.get(m![2]!);
      if (!it) return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
      const msg = {
        ...this.baseMessage(it.channelId, '', this.bot),
        ...(it.guildId ? { guild_id: it.guildId } : {}),
        ...this.messageFields(body, files),
        webhook_id: this.appId,
        application_id: this.appId,
        interaction_token: it.token,
      };
      this.messages.set(msg.id, msg);
      return { json: clean(msg) };
    }
    if (/^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.test(path)) {
      m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path);
      const it = this.interactions.get(m![2]!);
      const id = m![3] === '@original' ? it?.originalId : m![3];
      const msg = id ? this.messages.get(id) : undefined;
      if (!it || !msg || msg.deleted) return { status: 404, json: { message: 'Unknown Message', code: 10008 } };
      if (method === 'DELETE') {
        msg.deleted = true;
        return { status: 204 };
      }
      if (method === 'PATCH') {
        Object.assign(msg, this.messageFields(body, files), { edited_timestamp: new Date().toISOString(), deferred: false });
        msg.flags &= ~128;
      }
      return { json: clean(msg) };
    }
    if (is('POST', /^\/channels\/(\d+)\/messages$/)) {
      const channel = this.channels.get(m![1]!);
      if (!channel) return { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      const msg: Stored = {
        ...this.baseMessage(channel.id, '', this.bot),
        ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
        ...this.messageFields(body, files),
      };
      if (body?.message_reference) {
        msg.type = 19;
        msg.message_reference = { type: 0, ...body.message_reference, channel_id: channel.id };
        const ref = this.messages.get(body.message_reference.message_id);
        if (ref) msg.referenced_message = clean(ref);
      }
      this.messages.set(msg.id, msg);
      return { json: clean(msg) };
    }
    if (is('PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/)) {
      const msg = this.messages.get(m![2]!);
      if (!msg || msg.channel_id !== m![1]) return { status: 404, json: { message: 'Unknown Message', code: 10008 } };
      Object.assign(msg, this.messageFields(body, files), { edited_timestamp: new Date().toISOString() });
      return { json: clean(msg) };
    }
    if (is('DELETE', /^\/channels\/(\d+)$/)) {
      const channel = this.channels.get(m![1]!);
      if (!channel) return { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      const thread = channel.type === 10 || channel.type === 11 || channel.type === 12;
      if (!thread || !(this.botPermissions & P.ManageThreads)) return { status: 403, json: { message: 'Missing Permissions', code: 50013 } };
      this.channels.delete(channel.id);
      this.deletedChannels.set(channel.id, channel);
      return { json: channel };
    }
    if (is('PATCH', /^\/channels\/(\d+)$/)) {
      const channel = this.channels.get(m![1]!);
      if (!channel) return { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      // A thread's creator may archive it; locking needs Manage Threads.
      if (body?.locked !== undefined && !(this.botPermissions & P.ManageThreads)) return { status: 403, json: { message: 'Missing Permissions', code: 50013 } };
      if (channel.thread_metadata) {
        for (const field of ['archived', 'locked', 'auto_archive_duration'] as const)
          if (body?.[field] !== undefined) channel.thread_metadata[field] = body[field];
      }
      if (typeof body?.name === 'string') channel.name = body.name;
      return { json: channel };
    }
    if (is('DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/)) {
      // The bot deletes its own messages (others' would need Manage Messages, which Muse never does).
      const msg = this.messages.get(m![2]!);
      if (!msg || msg.deleted || msg.channel_id !== m![1]) return { status: 404, json: { message: 'Unknown Message', code: 10008 } };
      if (msg.author.id !== this.bot.id) return { status: 403, json: { message: 'Missing Permissions', code: 50013 } };
      msg.deleted = true;
      return { status: 204 };
    }
    if (is('GET', /^\/channels\/(\d+)$/)) {
      const channel = this.channels.get(m![1]!);
      return channel ? { json: channel } : { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
    }
    if (is('POST', /^\/channels\/(\d+)\/typing$/)) return { status: 204 };
    if (is('POST', /^\/channels\/(\d+)(?:\/messages\/(\d+))?\/threads$/)) {
      const parent = this.channels.get(m![1]!);
      if (!parent) return { status: 404, json: { message: 'Unknown Channel', code: 10003 } };
      const thread = {
        id: m![2] ?? snowflake(),
        type: body?.type ?? 11,
        guild_id: parent.guild_id,
        parent_id: parent.id,
        owner_id: this.bot.id,
        name: body?.name,
        last_message_id: null,
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
        total_message_sent: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: body?.auto_archive_duration ?? 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
      };
      this.channels.set(thread.id, thread);
      return { status: 201, json: thread };
    }
    if (is('POST', /^\/users\/@me\/channels$/)) {
      const who = [this.alice, this.bob].find((u) => u.id === body?.recipient_id) ?? user('someone', null, body?.recipient_id);
      return { json: this.openDm(who) };
    }
    return undefined;
  }

  private messageFields(body: any, files: RecordedRequest['files']): Record<string, any> {
    const out: Record<string, any> = {};
    if (!body) return out;
    if ('content' in body) out.content = body.content ?? '';
    if ('components' in body) out.components = body.components ?? [];
    if ('embeds' in body) out.embeds = body.embeds ?? [];
    if ('flags' in body && typeof body.flags === 'number') out.flags = body.flags;
    if (files.length || 'attachments' in body) {
      out.attachments = files.map((f, i) => ({
        id: String(i),
        filename: f.name,
        size: Buffer.byteLength(f.content),
        url: `https://cdn.invalid/${f.name}`,
        proxy_url: `https://cdn.invalid/${f.name}`,
        content: f.content,
      }));
    }
    return out;
  }
}

function user(username: string, globalName: string | null, id = snowflake()): FakeUser {
  return { id, username, global_name: globalName, discriminator: '0', avatar: null };
}

/** A stored message as Discord would return it (without the fake's bookkeeping fields). */
function clean(msg: Stored): Stored {
  const { interaction_token: _t, deleted: _d, deferred: _f, ...rest } = msg;
  return rest as Stored;
}

async function parseBody(raw: Buffer, contentType: string): Promise<{ body: any; files: RecordedRequest['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    let body: any;
    const files: RecordedRequest['files'] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, content: await value.text() });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}
