/**
 * A loopback fake of Slack's Socket Mode, beside the fake Web API (fake-slack.ts), following
 * what @slack/socket-mode expects:
 *
 * - `apps.connections.open`, called on the fake Web API with the app token (`xapp-…`), answers
 *   `{ ok: true, url: 'ws://127.0.0.1:PORT/link/?ticket=…' }`; each ticket opens one connection.
 * - On connect the server says `hello` (with `num_connections`, `debug_info`, `connection_info`)
 *   and pings now and then (ws answers the client's own pings with pongs).
 * - Envelopes `{ envelope_id, type, payload, accepts_response_payload }` (events_api also with
 *   `retry_attempt`, `retry_reason`) go to the newest connection; while none is open they wait and
 *   go out after the next `hello`. Acks (`{ envelope_id, payload }`) are recorded by envelope id.
 * - `disconnect(reason)` sends `{ type: 'disconnect', reason }` (`refresh_requested`, `warning`);
 *   `drop()` closes the socket abruptly; `loseAckOf(id)` breaks the socket when that ack arrives;
 *   `together(fn)` sends what `fn` sends in one write (the client reads it all before acking).
 * - As Slack does, an events_api envelope not acked on a connection that closed is delivered again
 *   on the next one with `retry_attempt` one higher (same envelope id). A slash command or a click
 *   that was not acked is not: Slack tells the person the app did not respond.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.js';
import { blockActions, eventCallback, slashCommand, type ClickOn, type CommandFrom } from './slack-payloads.js';

/** How often the server pings each connection (the client gives up after 30 s without one). */
const PING_INTERVAL_MS = 5_000;

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  /** What the app sent back with the ack (a response payload), if anything. */
  payload?: Record<string, unknown>;
  /** The connection it came on. */
  connection: number;
}

export interface Delivery {
  envelope: Envelope;
  connection: number;
}

export interface ConnectionInfo {
  id: number;
  /** Set once the socket has closed: by the client (a close frame) or abruptly by the fake. */
  closed?: { code: number; by: 'client' | 'abrupt' };
}

interface Connection {
  info: ConnectionInfo;
  ws: WebSocket;
  socket: Socket;
  /** A disconnect was sent: Slack sends nothing more on this connection. */
  draining: boolean;
  pinger: NodeJS.Timeout;
}

export class FakeSlackSocket {
  /** The first ack of each envelope, by envelope id. */
  readonly acks = new Map<string, Ack>();
  /** Every ack frame, in arrival order (a second ack of one envelope shows here). */
  readonly ackLog: Ack[] = [];
  /** Every envelope sent, in order (a redelivery appears again, with its retry_attempt). */
  readonly deliveries: Delivery[] = [];
  /** Acks that were lost in transit (see loseAckOf). */
  readonly lostAcks: string[] = [];
  readonly connections: ConnectionInfo[] = [];
  /** The app token apps.connections.open accepts. */
  appToken = 'xapp-test';
  readonly appId = 'AMUSE';
  private readonly tickets = new Set<string>();
  private readonly live: Connection[] = [];
  private readonly queued: Envelope[] = [];
  /** Delivered, not acked: envelope and the connection it went out on. */
  private readonly unacked = new Map<string, Delivery>();
  private readonly losing = new Set<string>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private port = 0;
  private seq = 0;

  constructor(readonly slack: FakeSlack) {
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      // A ticket opens one connection (Slack's URLs are single-use).
      if (!this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, socket as Socket));
    });
  }

  /** Listens on a free loopback port and answers apps.connections.open on the fake Web API. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.slack.socketMode = this;
    return this;
  }

  async close(): Promise<void> {
    this.slack.socketMode = undefined;
    for (const c of [...this.live]) c.ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The answer to apps.connections.open (called by the fake Web API with the request's token). */
  open(token: string | undefined): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  /** Connections open now (one asked to reconnect counts until it starts closing). */
  get openConnections(): number {
    return this.live.filter((c) => c.ws.readyState === c.ws.OPEN).length;
  }

  /** An Events API envelope carrying `event` (event_id: `opts.eventId` or a new one). */
  event(event: Record<string, unknown>, opts: { eventId?: string } = {}): Envelope {
    const eventId = opts.eventId ?? `Ev${++this.seq}${Date.now()}`;
    return this.deliver({ ...this.envelope('events_api', eventCallback(this.slack.teamId, event, eventId), false), retry_attempt: 0, retry_reason: '' });
  }

  /** A slash command envelope (Slack accepts a response payload with its ack). */
  command(command: string, text: string, from: CommandFrom): Envelope {
    return this.deliver(
      this.envelope('slash_commands', slashCommand(this.slack.teamId, ++this.seq, `${this.slack.origin}/respond`, command, text, from), true),
    );
  }

  /** An interactive envelope: a block_actions click on a button of `on.message`. */
  click(button: { action_id: string; value: string }, on: ClickOn): Envelope {
    return this.deliver(this.envelope('interactive', blockActions(this.slack.teamId, ++this.seq, `${this.slack.origin}/respond`, button, on), false));
  }

  /** Sends `envelope` on the newest connection, or queues it until the next hello. */
  deliver(envelope: Envelope): Envelope {
    const c = this.current();
    if (c) this.send(c, [envelope]);
    else this.queued.push(envelope);
    return envelope;
  }

  /** Asks the client to reconnect, as Slack does before recycling a connection. */
  disconnect(reason: 'refresh_requested' | 'warning' = 'refresh_requested'): void {
    const c = this.current();
    if (!c) return;
    c.draining = true;
    this.send(c, [{ type: 'disconnect', reason, debug_info: { host: `applink-fake-${c.info.id}` } }]);
  }

  /**
   * Sends all that `send` delivers on the newest connection in one write, so the client reads it
   * at once: e.g. envelopes and then a disconnect, which the client sees before it can ack.
   */
  together(send: () => void): void {
    const c = this.live.at(-1);
    c?.socket.cork();
    try {
      send();
    } finally {
      c?.socket.uncork();
    }
  }

  /** Closes the newest connection abruptly (no close frame); resolves when it is gone. */
  async drop(): Promise<void> {
    const c = this.live.at(-1);
    if (!c) return;
    c.info.closed = { code: 1006, by: 'abrupt' };
    const gone = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    c.ws.terminate();
    await gone;
  }

  /** When the app's ack of this envelope arrives, the socket breaks and the ack never reaches Slack. */
  loseAckOf(envelopeId: string): void {
    this.losing.add(envelopeId);
  }

  acked(envelopeId: string): boolean {
    return this.acks.has(envelopeId);
  }

  /** Every delivery of one envelope (the first, then redeliveries). */
  deliveriesOf(envelopeId: string): Delivery[] {
    return this.deliveries.filter((d) => d.envelope.envelope_id === envelopeId);
  }

  private envelope(type: EnvelopeType, payload: Record<string, unknown>, acceptsResponsePayload: boolean): Envelope {
    return { envelope_id: randomUUID(), type, payload, accepts_response_payload: acceptsResponsePayload };
  }

  /** The connection Slack would deliver on: the newest open one not asked to reconnect. */
  private current(): Connection | undefined {
    const c = this.live.at(-1);
    return c && !c.draining && c.ws.readyState === c.ws.OPEN ? c : undefined;
  }

  /** Sends messages in one write, recording envelopes as delivered. */
  private send(c: Connection, messages: Array<Envelope | Record<string, unknown>>): void {
    c.socket.cork();
    for (const m of messages) {
      if (typeof m.envelope_id === 'string') {
        const envelope = m as Envelope;
        this.deliveries.push({ envelope, connection: c.info.id });
        this.unacked.set(envelope.envelope_id, { envelope, connection: c.info.id });
      }
      c.ws.send(JSON.stringify(m));
    }
    c.socket.uncork();
  }

  private connected(ws: WebSocket, socket: Socket): void {
    const info: ConnectionInfo = { id: this.connections.length + 1 };
    const c: Connection = { info, ws, socket, draining: false, pinger: setInterval(() => ws.ping(), PING_INTERVAL_MS) };
    c.pinger.unref();
    this.connections.push(info);
    this.live.push(c);
    ws.on('message', (data) => this.received(c, textOf(data)));
    ws.on('close', (code) => {
      clearInterval(c.pinger);
      this.live.splice(this.live.indexOf(c), 1);
      info.closed ??= { code, by: 'client' };
      // The client may already be on its next connection: what this one left unacked goes there.
      const next = this.current();
      if (next) this.resend(next);
      this.slack.notify();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.length,
        debug_info: { host: `applink-fake-${info.id}`, build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.appId },
      }),
    );
    ws.ping();
    this.resend(c);
    this.slack.notify();
  }

  /** What was left unacked on connections now closed, then what waited for a connection. */
  private resend(c: Connection): void {
    const again: Envelope[] = [];
    for (const [id, d] of this.unacked) {
      if (this.live.some((l) => l.info.id === d.connection)) continue;
      this.unacked.delete(id);
      if (d.envelope.type !== 'events_api') continue; // Slack does not send a command or a click again
      again.push({ ...d.envelope, retry_attempt: (d.envelope.retry_attempt ?? 0) + 1, retry_reason: 'timeout' });
    }
    const waiting = this.queued.splice(0);
    if (again.length + waiting.length > 0) this.send(c, [...again, ...waiting]);
  }

  private received(c: Connection, text: string): void {
    let message: { envelope_id?: unknown; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return; // Slack ignores what it cannot read
    }
    if (typeof message.envelope_id !== 'string') return;
    const id = message.envelope_id;
    if (this.losing.delete(id)) {
      this.lostAcks.push(id);
      c.info.closed = { code: 1006, by: 'abrupt' };
      c.ws.terminate();
      return;
    }
    const ack: Ack = {
      envelope_id: id,
      connection: c.info.id,
      ...(message.payload && Object.keys(message.payload).length ? { payload: message.payload } : {}),
    };
    this.ackLog.push(ack);
    if (!this.acks.has(id)) this.acks.set(id, ack);
    this.unacked.delete(id);
    this.slack.notify();
  }
}

/** A WebSocket message as text, whichever form ws delivered it in (a Buffer, its fragments, an ArrayBuffer). */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
