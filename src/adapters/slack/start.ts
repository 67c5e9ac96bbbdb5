import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import type { Engine } from '../../engine/engine.js';
import type { Observer } from '../../ops/observer.js';
import type { Logger } from '../../util/log.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import * as actions from './on-actions.js';
import * as assistant from './on-assistant.js';
import * as commands from './on-commands.js';
import * as feedback from './on-feedback.js';
import * as mentions from './on-mentions.js';
import * as messages from './on-messages.js';
import { slackOutbox } from './outbox.js';
import { EVENTS_PATH, watchReachable } from './reachable.js';
import { MuseThreads } from './threads.js';
import type { Download } from '../../net/download.js';
import { slackFileHosts } from '../../net/file-hosts.js';
import { SlackUsers } from './users.js';

export interface StartSlackOptions {
  engine: Engine;
  botToken: string;
  /** HTTP mode: verifies every request (SLACK_SIGNING_SECRET). */
  signingSecret?: string;
  /** Socket Mode when set (SLACK_APP_TOKEN, xapp-…): no public URL needed. */
  appToken?: string;
  /** Socket Mode: how long to wait for Slack's pong, and the step of the delay before reconnecting (default 5000 ms). */
  socketPingTimeoutMs?: number;
  /** Web API base (SLACK_API_URL), e.g. https://slack-gov.com/api/ or a test fake. */
  apiUrl?: string;
  /** HTTP mode: the port for POST /slack/events (0: any free port). */
  port: number;
  log: Logger;
  /** A user group (id S0… or handle) whose members may use manager-only commands in channels. */
  managerGroup?: string;
  /** Known bot identity: skips Bolt's auth.test at start. */
  botUserId?: string;
  botId?: string;
  /** Minimum time between edits of a streaming reply (default 1000 ms). */
  throttleMs?: number;
  /** Characters per message before a reply is split (default 3000). */
  chunkLimit?: number;
  /** Slack's own streaming (chat.startStream) for replies in threads (default on). */
  nativeStreaming?: boolean;
  /** Characters per natively streamed message (default 12,000). */
  streamLimit?: number;
  /** Fetches files shared with a command (default: fetch, with the bot token). */
  download?: Download;
  /** Largest shared file taken (default 8 MB). */
  maxFileBytes?: number;
  /** HTTP mode: more routes on the same server (/healthz, /readyz, /metrics), as Bolt's customRoutes. */
  customRoutes?: Array<{ path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void }>;
  /** Told about re-deliveries that were not answered again. */
  observer?: Pick<Observer, 'duplicate'>;
}

export interface RunningSlack {
  app: App;
  /** The HTTP port (0 in Socket Mode). */
  port: number;
  /** Resolves when every event received so far has been fully handled (tests, shutdown). */
  idle: () => Promise<void>;
  /** True while Slack can reach Muse: the HTTP server listens, or the socket is connected (for /readyz). */
  ready: () => boolean;
  /**
   * Stops taking new events (shutdown): over HTTP, POST /slack/events is answered 503 so Slack
   * sends it again (to another process); in Socket Mode the socket is closed. Replies in flight
   * go on through the Web API.
   */
  pause: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Starts the Slack adapter: Socket Mode when an app token is given, otherwise HTTP with events,
 * slash commands and interactivity all at POST /slack/events.
 */
export async function startSlack(opts: StartSlackOptions): Promise<RunningSlack> {
  const logger = boltLogger(opts.log);
  const clientOptions = { logger, ...(opts.apiUrl ? { slackApiUrl: withSlash(opts.apiUrl) } : {}) };
  const socket = !!opts.appToken;
  if (!socket && !opts.signingSecret) throw new Error('Slack over HTTP needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).');
  // Socket Mode retries a bot token forever (not_allowed_token_type), so say so before trying.
  if (socket && !opts.appToken!.startsWith('xapp-')) {
    throw new Error(
      'SLACK_APP_TOKEN is not an app-level token (those start with xapp-); create one with the connections:write scope under Basic Information → App-Level Tokens.',
    );
  }
  // The socket client gets its own copy of the client options: it sets its retry policy (100
  // quick retries, for apps.connections.open) on the object it is given, which Bolt's client for
  // every reply would otherwise share.
  const receiver: Receiver = socket
    ? new SocketModeReceiver({
        appToken: opts.appToken!,
        logger,
        clientPingTimeout: opts.socketPingTimeoutMs,
        installerOptions: { clientOptions: { ...clientOptions } },
      })
    : new HTTPReceiver({
        signingSecret: opts.signingSecret!,
        endpoints: EVENTS_PATH,
        logger,
        processBeforeResponse: false,
        customRoutes: opts.customRoutes ?? [],
      });
  const reachable = watchReachable(receiver);
  // Bolt would call auth.test itself, retrying for many minutes when Slack is unreachable;
  // checking here, briefly, lets a wrong token or URL end in one sentence instead.
  const identity = opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : await whoAmI(opts, clientOptions);
  const app = new App({
    token: opts.botToken,
    receiver,
    logger,
    clientOptions,
    ...identity,
  });

  const inflight = trackInflight(app);
  const shared = opts.engine.shared;
  // Exactly once, across every process on the store: Slack re-delivers (X-Slack-Retry-Num)
  // events it thinks were lost, possibly to another process.
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await shared.firstDelivery('slack.event', eventId))) {
      opts.log.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'slack re-delivered an event already handled; ignored');
      return;
    }
    await next();
  });
  app.error(async (err) => {
    opts.log.error({ err }, 'slack listener failed');
  });

  const deps: SlackDeps = {
    engine: opts.engine,
    client: app.client,
    log: opts.log,
    users: new SlackUsers(app.client, opts.log, opts.managerGroup),
    threads: new MuseThreads(app.client, opts.log, shared),
    firstDelivery: (kind, key) => shared.firstDelivery(`slack.${kind}`, key),
    throttleMs: opts.throttleMs ?? 1000,
    chunkLimit: opts.chunkLimit ?? 3000,
    nativeStreaming: opts.nativeStreaming,
    streamLimit: opts.streamLimit,
    botToken: opts.botToken,
    fileHosts: slackFileHosts(opts.apiUrl),
    download: opts.download,
    maxFileBytes: opts.maxFileBytes,
  };
  // The assistant pane first: its middleware takes the DM-thread messages it owns.
  assistant.register(app, deps);
  mentions.register(app, deps);
  messages.register(app, deps);
  commands.register(app, deps);
  actions.register(app, deps);
  feedback.register(app, deps);

  let port = 0;
  if (socket) {
    await app.start().catch((err: unknown) => {
      throw socketStartError(opts, err);
    });
  } else {
    const server = (await app.start(opts.port)) as Server;
    port = (server.address() as AddressInfo).port;
  }
  opts.log.info({ mode: socket ? 'socket' : 'http', port: socket ? undefined : port }, 'slack adapter started');
  // What Muse says unasked (a vote closing) goes to the conversation's channel, thread or DM.
  const announcing = new Set<Promise<void>>();
  const outbox = slackOutbox(deps);
  const detach = opts.engine.attach('slack', (ref, parts) => {
    const work = outbox(ref, parts);
    announcing.add(work);
    void work.finally(() => announcing.delete(work)).catch(() => undefined);
    return work;
  });
  let receiving: Promise<void> | undefined;
  // Once: Bolt's stop() only starts closing the socket; wait until it is closed.
  const stopReceiving = () =>
    (receiving ??= (async () => {
      const closed = receiver instanceof SocketModeReceiver ? new Promise<void>((resolve) => receiver.client.once('disconnected', () => resolve())) : undefined;
      await app.stop();
      await closed;
    })());
  return {
    app,
    port,
    idle: inflight.idle,
    ready: () => receiving === undefined && reachable.ready(),
    async pause() {
      if (receiver instanceof SocketModeReceiver) await stopReceiving();
      else reachable.refuse();
    },
    async stop() {
      detach();
      await stopReceiving();
      await inflight.idle();
      await Promise.allSettled([...announcing]);
    },
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Counts events from the moment the receiver hands them to Bolt until every listener finished. */
function trackInflight(app: App): { idle: () => Promise<void> } {
  let count = 0;
  let waiters: Array<() => void> = [];
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    count++;
    try {
      return await processEvent(event);
    } finally {
      if (--count === 0) {
        const w = waiters;
        waiters = [];
        for (const resolve of w) resolve();
      }
    }
  };
  return {
    idle: () => (count === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}

/** The bot's ids from auth.test, with a short retry; a clear sentence when it fails. */
async function whoAmI(opts: StartSlackOptions, clientOptions: { slackApiUrl?: string }): Promise<{ botId: string; botUserId: string }> {
  const client = new webApi.WebClient(opts.botToken, { ...clientOptions, retryConfig: { retries: 2, factor: 2, minTimeout: 200 }, timeout: 10_000 });
  let result: { bot_id?: string; user_id?: string };
  try {
    result = await client.auth.test();
  } catch (err) {
    opts.log.error({ err }, 'slack auth.test failed at start');
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
      throw new Error(`Slack rejected SLACK_BOT_TOKEN (${code}); copy the Bot User OAuth Token (xoxb-…) again from the app's OAuth & Permissions page.`, {
        cause: err,
      });
    }
    throw new Error(
      `Muse could not reach Slack at ${clientOptions.slackApiUrl ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN; the details are in the log.`,
      { cause: err },
    );
  }
  if (!result.user_id) throw new Error('Slack did not say who the bot is (auth.test gave no user_id); check that SLACK_BOT_TOKEN is a bot token (xoxb-…).');
  return { botId: result.bot_id ?? '', botUserId: result.user_id };
}

/** Socket Mode could not connect at start (apps.connections.open refused, or no WebSocket): one sentence. */
function socketStartError(opts: StartSlackOptions, err: unknown): Error {
  opts.log.error({ err }, 'slack socket mode could not connect at start');
  const code = (err as { data?: { error?: string } }).data?.error;
  if (code) {
    return new Error(
      `Slack rejected SLACK_APP_TOKEN (${code}); create an app-level token with the connections:write scope under Basic Information → App-Level Tokens and copy it (xapp-…) again.`,
    );
  }
  return new Error('Muse could not open its Socket Mode connection to Slack; the details are in the log.');
}
