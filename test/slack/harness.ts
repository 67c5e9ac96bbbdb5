import { pino } from 'pino';
import type { ModelWiring } from '../../src/app.js';
import type { Clock } from '../../src/engine/clock.js';
import type { Feature } from '../../src/engine/feature.js';
import type { EngineLimits } from '../../src/engine/limits.js';
import type { FakeBackend } from '../../src/model/fake.js';
import { startSlack, type RunningSlack } from '../../src/adapters/slack/start.js';
import { makeEngine, type TestEngine } from '../support/engine.js';
import { FakeSlack, SlackSender } from '../support/fake-slack.js';
import { FakeSlackSocket } from '../support/fake-slack-socket.js';

export const SECRET = 'test-signing-secret';
export const ALICE = 'UALICE';
export const BOB = 'UBOB';
export const ADMIN = 'UADMIN';
export const CHANNEL = 'CGENERAL';
export const DM = 'DALICE';

export interface Harness extends TestEngine {
  slack: FakeSlack;
  bolt: RunningSlack;
  send: TestEngine['send'];
  sender: SlackSender;
  /** Sends an event and waits until Muse has fully handled it. */
  event(event: Record<string, unknown>, opts?: Parameters<SlackSender['event']>[1]): ReturnType<SlackSender['event']>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  backend?: FakeBackend;
  chunkLimit?: number;
  managerGroup?: string;
  limits?: Partial<EngineLimits>;
  throttleMs?: number;
  /** The features (default: Muse's; see withFeatures in test/support/engine.ts). */
  features?: readonly Feature[];
  clock?: Clock;
  maxFileBytes?: number;
  /** Slack's own streaming for replies in threads (default on, as in production). */
  nativeStreaming?: boolean;
  streamLimit?: number;
  /** The models as the app wires them (modelWiring of a catalog). */
  models?: ModelWiring;
}

/** The fake Slack with Alice, Bob and an admin, and an engine on the fake model. */
async function fakes(opts: HarnessOptions): Promise<{ slack: FakeSlack; te: TestEngine }> {
  const slack = await new FakeSlack().start();
  slack.users.set(ALICE, { name: 'Alice' });
  slack.users.set(BOB, { name: 'Bob' });
  slack.users.set(ADMIN, { name: 'Ada', is_admin: true });
  const te = await makeEngine({
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.features ? { features: opts.features } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.models ? { models: opts.models } : {}),
  });
  return { slack, te };
}

/** What startSlack gets in every harness besides the transport. */
function slackOptions(slack: FakeSlack, te: TestEngine, opts: HarnessOptions) {
  return {
    engine: te.engine,
    botToken: 'xoxb-test',
    apiUrl: slack.url.replace(/\/$/, ''), // startSlack adds the slash
    port: 0,
    log: pino({ level: 'silent' }),
    throttleMs: opts.throttleMs ?? 0,
    ...(opts.chunkLimit ? { chunkLimit: opts.chunkLimit } : {}),
    ...(opts.managerGroup ? { managerGroup: opts.managerGroup } : {}),
    ...(opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {}),
    ...(opts.nativeStreaming === false ? { nativeStreaming: false } : {}),
    ...(opts.streamLimit ? { streamLimit: opts.streamLimit } : {}),
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { slack, te } = await fakes(opts);
  const bolt = await startSlack({ ...slackOptions(slack, te, opts), signingSecret: SECRET });
  const sender = new SlackSender(`http://127.0.0.1:${bolt.port}/slack/events`, SECRET, slack.teamId, `${slack.origin}/respond`);
  return {
    ...te,
    slack,
    bolt,
    sender,
    async event(event, eventOpts) {
      const result = await sender.event(event, eventOpts);
      await bolt.idle();
      return result;
    },
    async close() {
      sender.close();
      await bolt.stop();
      await te.engine.idle();
      await te.store.close();
      await slack.close();
    },
  };
}

export interface SocketHarness extends TestEngine {
  slack: FakeSlack;
  socket: FakeSlackSocket;
  bolt: RunningSlack;
  close(): Promise<void>;
}

/** Muse in Socket Mode (SLACK_APP_TOKEN) against the fake Web API and the fake Socket Mode server. */
export async function startSocketHarness(opts: HarnessOptions & { pingTimeoutMs?: number } = {}): Promise<SocketHarness> {
  const { slack, te } = await fakes(opts);
  const socket = await new FakeSlackSocket(slack).start();
  const bolt = await startSlack({
    ...slackOptions(slack, te, opts),
    appToken: socket.appToken,
    ...(opts.pingTimeoutMs ? { socketPingTimeoutMs: opts.pingTimeoutMs } : {}),
  });
  return {
    ...te,
    slack,
    socket,
    bolt,
    async close() {
      await bolt.stop();
      await te.engine.idle();
      await te.store.close();
      await socket.close();
      await slack.close();
    },
  };
}

/** A user's post in a channel as Slack delivers it. */
export function post(slack: FakeSlack, fields: { channel?: string; user?: string; text: string; thread_ts?: string; channel_type?: string; type?: string }) {
  const ts = slack.nextTs();
  return {
    type: fields.type ?? 'message',
    channel: fields.channel ?? CHANNEL,
    channel_type: fields.channel_type ?? 'channel',
    user: fields.user ?? ALICE,
    text: fields.text,
    ts,
    team: slack.teamId,
    ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
  };
}
