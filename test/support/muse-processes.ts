/**
 * Muse as several operating-system processes (`node --import tsx src/main.ts`, as the Procfile
 * runs it), serving Slack over HTTP on their own ports against the loopback fakes, all on one
 * store server. `SlackFront` plays Slack's side: it sends each event to a process picked at
 * random, and may deliver the same event again to another one, as Slack does when it retries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { REPO } from './run-muse.js';
import { SlackSender, type FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'scale-signing-secret';

export interface MuseProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it wrote (logs), for a failure's message. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

/** The environment every Muse process of a test shares: the fakes, the store, no fair-use limits. */
export function museEnv(opts: { slack: FakeSlack; openaiUrl: string; storeUrl: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    SLACK_BOT_TOKEN: 'xoxb-scale',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: opts.slack.url,
    MUSE_MODEL: 'openai:fake-model',
    OPENAI_BASE_URL: opts.openaiUrl,
    OPENAI_API_KEY: 'sk-scale-test',
    MUSE_MODERATION: 'off',
    MUSE_LIMIT_USER: 'off',
    MUSE_LIMIT_WORKSPACE: 'off',
    MUSE_STORE_URL: opts.storeUrl,
    LOG_LEVEL: 'warn',
    ...opts.extra,
  };
}

/** Starts one Muse process on a free port; resolves once it accepts connections. */
export async function startMuse(name: string, env: Record<string, string>, timeoutMs = 120_000): Promise<MuseProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output = (output + d).slice(-20_000)));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let gone: string | undefined;
  void exited.then((how) => (gone = how));
  const started = Date.now();
  for (;;) {
    if (gone !== undefined) throw new Error(`Muse process ${name} exited (${gone}) before listening:\n${output}`);
    if (await listening(port)) break;
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`Muse process ${name} did not listen on ${port} within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
  return {
    name,
    port,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Slack's side: every event goes to a random process; `redeliver` also sends it again to another. */
export class SlackFront {
  private readonly senders = new Map<MuseProcess, SlackSender>();

  constructor(
    readonly slack: FakeSlack,
    public processes: MuseProcess[],
    private readonly random: () => number = Math.random,
  ) {}

  /** Sends `event` (a fresh event id) to one process (`to`, or a random one); with `redeliver`, again to another at once. */
  async send(event: Record<string, unknown>, opts: { to?: MuseProcess; redeliver?: boolean } = {}): Promise<void> {
    const first = opts.to ?? this.pick();
    const eventId = `Ev${randomUUID()}`;
    const sends = [this.sender(first).event(event, { eventId })];
    if (opts.redeliver && this.processes.length > 1) {
      const others = this.processes.filter((p) => p !== first);
      const second = others[Math.floor(this.random() * others.length)]!;
      sends.push(this.sender(second).event(event, { eventId, retryNum: 1 }));
    }
    const results = await Promise.allSettled(sends);
    // A process that is gone (killed by the test) does not answer; Slack would retry elsewhere.
    if (results.every((r) => r.status === 'rejected')) throw (results[0] as PromiseRejectedResult).reason;
  }

  /** A slash command, as Slack sends it, to one process (or a random one). */
  async command(command: string, text: string, from: { user: string; channel: string }, to?: MuseProcess): Promise<void> {
    await this.sender(to ?? this.pick()).command(command, text, from);
  }

  close(): void {
    for (const sender of this.senders.values()) sender.close();
    this.senders.clear();
  }

  private pick(): MuseProcess {
    return this.processes[Math.floor(this.random() * this.processes.length)]!;
  }

  private sender(p: MuseProcess): SlackSender {
    let sender = this.senders.get(p);
    if (!sender) {
      sender = new SlackSender(`http://127.0.0.1:${p.port}/slack/events`, SIGNING_SECRET, this.slack.teamId, `${this.slack.origin}/respond`);
      this.senders.set(p, sender);
    }
    return sender;
  }
}

/** A user's post as Slack delivers it (a mention or a message, in a channel or a thread). */
export function slackPost(slack: FakeSlack, fields: { channel: string; user: string; text: string; thread_ts?: string; type?: 'app_mention' | 'message' }) {
  return {
    type: fields.type ?? 'message',
    channel: fields.channel,
    channel_type: 'channel',
    user: fields.user,
    text: fields.text,
    ts: slack.nextTs(),
    team: slack.teamId,
    ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
  };
}

/** Polls `check` until it holds (a loaded machine gets a generous `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
    socket.on('error', () => resolve(false));
  });
}
