/**
 * A loopback fake Slack: a Web API server (127.0.0.1, any free port) that answers the methods
 * Muse calls and records every call, and a sender of correctly signed requests (events, slash
 * commands, block actions) to a Bolt app, as Slack sends them. Socket Mode is in
 * fake-slack-socket.ts (it answers apps.connections.open here once attached).
 */
import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.js';
import { blockActions, eventCallback, slashCommand, type ClickOn, type CommandFrom } from './slack-payloads.js';
import { blocksError, mentionsIn } from './slack-blocks.js';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: Array<Record<string, unknown>>;
  user?: string;
  bot_id?: string;
  deleted?: boolean;
  /** Posted under another name and picture (chat:write.customize). */
  username?: string;
  icon_url?: string;
  /** Started with chat.startStream and not yet stopped. */
  streaming?: boolean;
  /** The user a streamed message was started for (recipient_user_id). */
  recipient?: string;
}

export interface FakeUser {
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
  /** The user's locale ('zh-CN'), given only when users.info asks include_locale (as Slack does). */
  locale?: string;
}

/** Fields of a call or a response_url body that Slack shows as text (and parses for mentions). */
const SHOWN_FIELDS = ['text', 'blocks', 'markdown_text', 'chunks', 'attachments'];

/** Fields the Web API client sends JSON-encoded inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'prompts', 'files', 'metadata', 'chunks']);

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly uploads: Array<{ fileId: string; body: string }> = [];
  readonly responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  /** Every control sequence that would have notified someone (`<!here>`, `<@U1>`…), with where it was sent. */
  readonly pings: Array<{ method: string; mention: string }> = [];
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, { handle: string; users: string[] }>();
  /** Methods that answer `{ ok: false, error }` instead. */
  readonly failures = new Map<string, string>();
  /** Whether the app has chat:write.customize (username and icon_url on chat.postMessage). */
  customize = true;
  /** When set, chat.startStream, appendStream and stopStream answer this error (a channel type, a proxy without them). */
  streamRefusal: string | undefined;
  /** One call fails: the call of `method` after `skip` more calls of it answers `error`. */
  private readonly once: Array<{ method: string; error: string; skip: number }> = [];
  /** Files people shared, served at url_private_download to a request with the bot token. */
  readonly files = new Map<string, { name: string; mimetype: string; content: Buffer }>();
  /** Files whose download answers with a redirect to this location (by file id). */
  readonly redirects = new Map<string, string>();
  /** Every file download: its path and whether it carried the bot token. */
  readonly downloads: Array<{ path: string; authorized: boolean }> = [];
  /** The bot token file downloads must carry (Authorization: Bearer …). */
  botToken = 'xoxb-test';
  readonly botUserId = 'UMUSE';
  readonly botId = 'BMUSE';
  readonly teamId = 'T1';
  /** Socket Mode (fake-slack-socket.ts): answers apps.connections.open with its WebSocket URL. */
  socketMode: { open(token: string | undefined): Record<string, unknown> } | undefined;
  /** The Web API base, with its trailing slash (SLACK_API_URL). */
  url = '';
  origin = '';
  private server: Server | undefined;
  private seq = 0;
  private listeners: Array<() => void> = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.url = `${this.origin}/api/`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages as they now stand (after edits), oldest first, optionally in one channel/thread. */
  visible(channel?: string, threadTs?: string): FakeMessage[] {
    return this.messages.filter((m) => !m.deleted && (!channel || m.channel === channel) && (threadTs === undefined || m.thread_ts === threadTs));
  }

  /** Muse's messages as they now stand. */
  museMessages(channel?: string, threadTs?: string): FakeMessage[] {
    return this.visible(channel, threadTs).filter((m) => m.bot_id === this.botId);
  }

  /** The Markdown a message shows in its markdown blocks (joined, still escaped), or its text when it has none. */
  markdownOf(m: FakeMessage): string {
    const markdown = (m.blocks ?? []).filter((b) => b.type === 'markdown').map((b) => String(b.text));
    return markdown.length ? markdown.join('') : m.text;
  }

  /** Adds a message Slack knows about (e.g. one posted before a restart), for conversations.replies. */
  seed(message: Omit<FakeMessage, 'ts'> & { ts?: string }): FakeMessage {
    const m = { ...message, ts: message.ts ?? this.nextTs() };
    this.messages.push(m);
    return m;
  }

  /** A file as it appears in a message event's `files[]` (size: what Slack announces). */
  addFile(name: string, content: string | Buffer, mimetype = 'application/json', size?: number): Record<string, unknown> {
    const id = `F${++this.seq}`;
    const data = Buffer.from(content);
    this.files.set(id, { name, mimetype, content: data });
    const url = `${this.origin}/files-pri/${this.teamId}-${id}/download/${encodeURIComponent(name)}`;
    return { id, name, title: name, mimetype, filetype: 'json', size: size ?? data.byteLength, url_private: url, url_private_download: url, mode: 'hosted' };
  }

  /** Makes one later call of `method` fail with `error`, after `skip` calls of it succeed. */
  failOnce(method: string, error: string, skip = 0): void {
    this.once.push({ method, error, skip });
  }

  nextTs(): string {
    this.seq++;
    return `${1_700_000_000 + this.seq}.${String(this.seq).padStart(6, '0')}`;
  }

  /** Resolves when `predicate` holds (checked after every call); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error('FakeSlack.waitFor: condition not met'));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const file = /^\/files-pri\/[^-]+-(F\d+)\//.exec(path);
    if (file) {
      const authorized = req.headers.authorization === `Bearer ${this.botToken}`;
      this.downloads.push({ path, authorized });
      const found = this.files.get(file[1]!);
      // Without the token Slack answers with its sign-in page, not the file.
      const redirect = this.redirects.get(file[1]!);
      if (!authorized) res.writeHead(302, { location: `${this.origin}/signin` }).end();
      else if (redirect) res.writeHead(302, { location: redirect }).end();
      else if (!found) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': found.mimetype, 'content-length': found.content.byteLength }).end(found.content);
      return;
    }
    if (path.startsWith('/upload/')) {
      this.uploads.push({ fileId: path.slice('/upload/'.length), body: raw });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    if (path.startsWith('/respond/')) {
      const body = parseBody(raw, req.headers['content-type']);
      this.responses.push({ path, body });
      this.notePings('response_url', body);
      this.notify();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!path.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = path.slice('/api/'.length);
    const args = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    this.calls.push({ method, args, ...(token ? { token } : {}), at: Date.now() });
    this.notePings(method, args);
    const failure = this.failures.get(method) ?? this.failingOnce(method) ?? (method.endsWith('Stream') ? this.streamRefusal : undefined);
    const answer = failure ? { ok: false, error: failure } : this.answer(method, args, token);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    this.notify();
  }

  private notePings(method: string, args: Record<string, unknown>): void {
    for (const field of SHOWN_FIELDS) for (const mention of mentionsIn(args[field])) this.pings.push({ method, mention });
  }

  private failingOnce(method: string): string | undefined {
    const at = this.once.findIndex((o) => o.method === method);
    if (at < 0) return undefined;
    const o = this.once[at]!;
    if (o.skip-- > 0) return undefined;
    this.once.splice(at, 1);
    return o.error;
  }

  /** Wakes waitFor (also called by the Socket Mode fake when an ack or a connection changes). */
  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private answer(method: string, a: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    const str = (k: string) => {
      const v = a[k];
      return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
    };
    switch (method) {
      case 'apps.connections.open':
        return this.socketMode ? this.socketMode.open(token) : { ok: false, error: 'not_allowed_token_type' };
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'muse', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        if (!str('channel')) return { ok: false, error: 'channel_not_found' };
        if (!str('text') && !a.blocks) return { ok: false, error: 'no_text' };
        const invalid = blocksError(a.blocks);
        if (invalid) return { ok: false, error: invalid };
        const customized = str('username') !== undefined || str('icon_url') !== undefined;
        if (customized && !this.customize) return { ok: false, error: 'missing_scope', needed: 'chat:write.customize', provided: 'chat:write' };
        const m: FakeMessage = { channel: str('channel')!, ts: this.nextTs(), text: str('text') ?? '', user: this.botUserId, bot_id: this.botId };
        if (str('username') !== undefined) m.username = str('username')!;
        if (str('icon_url') !== undefined) m.icon_url = str('icon_url')!;
        if (str('thread_ts')) m.thread_ts = str('thread_ts')!;
        if (a.blocks) m.blocks = a.blocks as FakeMessage['blocks'];
        if (m.text.length > 40_000) return { ok: false, error: 'msg_too_long' };
        this.messages.push(m);
        return { ok: true, channel: m.channel, ts: m.ts, message: m };
      }
      case 'chat.update': {
        const m = this.messages.find((x) => x.channel === str('channel') && x.ts === str('ts') && !x.deleted);
        if (!m) return { ok: false, error: 'message_not_found' };
        const invalid = blocksError(a.blocks);
        if (invalid) return { ok: false, error: invalid };
        if (str('text') !== undefined) m.text = str('text')!;
        if (a.blocks) m.blocks = a.blocks as FakeMessage['blocks'];
        if (m.text.length > 40_000) return { ok: false, error: 'msg_too_long' };
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text };
      }
      case 'chat.delete': {
        const m = this.messages.find((x) => x.channel === str('channel') && x.ts === str('ts'));
        if (!m) return { ok: false, error: 'message_not_found' };
        m.deleted = true;
        return { ok: true, channel: m.channel, ts: m.ts };
      }
      case 'chat.startStream':
      case 'chat.appendStream':
      case 'chat.stopStream':
        return this.stream(method, a, str);
      case 'chat.postEphemeral': {
        const invalid = blocksError(a.blocks);
        return invalid ? { ok: false, error: invalid } : { ok: true, message_ts: this.nextTs() };
      }
      case 'conversations.replies': {
        const thread = str('ts');
        const messages = this.visible(str('channel')).filter((m) => m.ts === thread || m.thread_ts === thread);
        return { ok: true, messages, has_more: false };
      }
      case 'users.info': {
        const id = str('user') ?? '';
        const u = this.users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id,
            name: u.name.toLowerCase(),
            real_name: u.name,
            is_admin: !!u.is_admin,
            is_owner: !!u.is_owner,
            profile: { display_name: u.name, real_name: u.name },
            ...(u.locale && str('include_locale') === 'true' ? { locale: u.locale } : {}),
          },
        };
      }
      case 'usergroups.users.list': {
        const g = this.usergroups.get(str('usergroup') ?? '');
        return g ? { ok: true, users: g.users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'usergroups.list':
        return { ok: true, usergroups: [...this.usergroups].map(([id, g]) => ({ id, handle: g.handle, name: g.handle })) };
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        return { ok: true };
      case 'files.getUploadURLExternal': {
        const fileId = `F${++this.seq}`;
        return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = (a.files as Array<{ id: string; title?: string }> | undefined) ?? [];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '', name: f.title ?? '' })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * Slack's streaming, as documented: startStream posts a message in a thread (outside a DM only
   * for a named recipient: recipient_user_id and recipient_team_id); appendStream adds
   * markdown_text to a message still streaming; stopStream adds the last text and the blocks and
   * ends the stream. Each markdown_text is at most 12,000 characters; blocks are checked as for
   * chat.postMessage.
   */
  private stream(method: string, a: Record<string, unknown>, str: (k: string) => string | undefined): Record<string, unknown> {
    const channel = str('channel');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const markdown = str('markdown_text') ?? '';
    if (markdown.length > 12_000) return { ok: false, error: 'msg_too_long' };
    const invalid = blocksError(a.blocks);
    if (invalid) return { ok: false, error: invalid };
    if (method === 'chat.startStream') {
      if (!str('thread_ts')) return { ok: false, error: 'invalid_arguments' };
      if (!channel.startsWith('D') && (!str('recipient_user_id') || !str('recipient_team_id'))) return { ok: false, error: 'invalid_arguments' };
      const m: FakeMessage = {
        channel,
        ts: this.nextTs(),
        thread_ts: str('thread_ts')!,
        text: markdown,
        user: this.botUserId,
        bot_id: this.botId,
        streaming: true,
      };
      if (str('recipient_user_id')) m.recipient = str('recipient_user_id')!;
      this.messages.push(m);
      return { ok: true, channel, ts: m.ts };
    }
    const m = this.messages.find((x) => x.channel === channel && x.ts === str('ts') && !x.deleted);
    if (!m) return { ok: false, error: 'message_not_found' };
    if (m.bot_id !== this.botId) return { ok: false, error: 'message_not_owned_by_app' };
    if (!m.streaming) return { ok: false, error: 'message_not_in_streaming_state' };
    if (method === 'chat.appendStream' && !markdown) return { ok: false, error: 'invalid_arguments' };
    m.text += markdown;
    if (method === 'chat.stopStream') {
      m.streaming = false;
      if (a.blocks) m.blocks = a.blocks as FakeMessage['blocks'];
      return { ok: true, channel, ts: m.ts, message: m };
    }
    return { ok: true, channel, ts: m.ts };
  }
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) && /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

/** v0 signature of a Slack request: HMAC-SHA256 of `v0:{ts}:{body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendResult {
  status: number;
  text: string;
}

/** Sends requests to a Bolt app as Slack does, correctly signed (or not, on request). */
export class SlackSender {
  private seq = 0;
  constructor(
    /** e.g. http://127.0.0.1:PORT/slack/events */
    readonly url: string,
    readonly secret: string,
    readonly teamId = 'T1',
    /** Where slash commands' response_url points (the fake's /respond/). */
    readonly responseBase = 'http://127.0.0.1:9/respond',
  ) {}

  /** node:http with its own keep-alive pool: light enough to send hundreds of requests at once. */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });

  post(body: string, contentType: string, headers: Record<string, string> = {}, secret = this.secret): Promise<SendResult> {
    const ts = Math.floor(Date.now() / 1000);
    const url = new URL(this.url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': contentType,
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': slackSignature(secret, ts, body),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** An Events API callback; returns its event_id with the HTTP result. */
  async event(event: Record<string, unknown>, opts: { eventId?: string; retryNum?: number; secret?: string } = {}): Promise<SendResult & { eventId: string }> {
    const eventId = opts.eventId ?? `Ev${++this.seq}${Date.now()}`;
    const body = JSON.stringify(eventCallback(this.teamId, event, eventId));
    const headers: Record<string, string> = opts.retryNum ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    const result = await this.post(body, 'application/json', headers, opts.secret);
    return { ...result, eventId };
  }

  /** A slash command, form-encoded. */
  command(command: string, text: string, opts: CommandFrom): Promise<SendResult> {
    const body = new URLSearchParams(slashCommand(this.teamId, ++this.seq, this.responseBase, command, text, opts)).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  /** A block_actions payload for a click on a button of `message`, form-encoded as `payload=`. */
  click(button: { action_id: string; value: string; type?: string }, opts: ClickOn): Promise<SendResult> {
    const payload = blockActions(this.teamId, ++this.seq, this.responseBase, button, opts);
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }
}
