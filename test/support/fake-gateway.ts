/**
 * The WebSocket half of the fake Discord: the gateway protocol as @discordjs/ws speaks it (JSON,
 * no compression). HELLO with a configurable heartbeat_interval, HEARTBEAT_ACK for every op 1,
 * IDENTIFY answered with READY (session_id, resume_gateway_url) and the guilds, a sequence number
 * on every dispatch, RESUME that replays what the client missed then dispatches RESUMED, and
 * INVALID_SESSION (d: false) when a resume cannot be honoured.
 *
 * Every dispatch is logged against its session. A connection is sent the log entries after the
 * last one it got, so events dispatched while no connection holds the session (after op 7, a
 * resumable close, a zombie connection) are queued and arrive on RESUME, as Discord replays them.
 * A session ends when the client closes with 1000 or 1001 (as on Discord) or the test expires it.
 *
 * Sharding: IDENTIFY's `shard: [id, count]` (default [0, 1]) is the session's shard. A dispatch
 * goes only to the sessions of the shard that owns it, as Discord routes: a guild's events to
 * shard (guild_id >> 22) % count, everything without a guild (DMs) to shard 0. READY and the
 * GUILD_CREATEs after it list the guilds of the session's shard only.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { WebSocket, type WebSocketServer } from 'ws';

export interface GatewayDispatch {
  t: string;
  d: unknown;
}

export interface FakeGatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** The gateway URL handed out by GET /gateway/bot; resume_gateway_url is `${url}/resume`. */
  url: () => string;
  /** READY's d for a session of `shard`, less session_id and resume_gateway_url. */
  ready: (shard: Shard) => Record<string, unknown>;
  /** Dispatched right after READY (GUILD_CREATE for each guild of the shard). */
  afterReady: (shard: Shard) => GatewayDispatch[];
}

/** [shard id, shard count], as IDENTIFY and READY carry it. */
export type Shard = [number, number];

/** The shard Discord sends a guild's events to; 0 for everything without a guild. */
export function shardOfGuild(guildId: string | undefined, count: number): number {
  return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
}

/** The guild a dispatch belongs to, if any. */
function guildOf(t: string, d: any): string | undefined {
  if (typeof d?.guild_id === 'string') return d.guild_id;
  return /^GUILD_(CREATE|UPDATE|DELETE)$/.test(t) && typeof d?.id === 'string' ? d.id : undefined;
}

interface Entry {
  s: number;
  t: string;
  d: unknown;
  frame: string;
}

interface Session {
  id: string;
  shard: Shard;
  seq: number;
  log: Entry[];
  /** The connection that holds the session now, if any. */
  conn?: Connection;
  ended: boolean;
}

interface Connection {
  ws: WebSocket;
  /** Request path of the upgrade ('/resume?v=10&encoding=json'). */
  path: string;
  session?: Session;
  /** The last sequence number sent on this connection. */
  sent: number;
  /** A zombie gets nothing: no HEARTBEAT_ACK and no dispatches (they wait in the session's log). */
  zombie: boolean;
  /** Heartbeats a zombie left unacknowledged; acknowledged late if it comes back. */
  owedAcks: number;
}

/** Close codes after which Discord forgets the session (a resume then gets INVALID_SESSION). */
const ENDS_SESSION = new Set([1000, 1001]);

export class FakeGateway extends EventEmitter {
  /** IDENTIFY payloads (d), in order, accepted or not. */
  readonly identifies: any[] = [];
  /** RESUME payloads (d) that were honoured. */
  readonly resumes: any[] = [];
  /** RESUME payloads (d) answered with INVALID_SESSION (d: false). */
  readonly rejectedResumes: any[] = [];
  /** The d of every HEARTBEAT (op 1) received: the last sequence number the client had seen. */
  readonly heartbeats: Array<number | null> = [];
  /** Request path of every WebSocket connection, in order. */
  readonly connections: string[] = [];
  /** Dispatches sent again on RESUME, in order. */
  readonly replayed: Array<{ t: string; s: number; d: any }> = [];
  /** Every dispatch() with the shard it was routed to, in order. */
  readonly routed: Array<{ t: string; shard: number }> = [];
  private readonly sessions = new Map<string, Session>();
  private readonly conns = new Set<Connection>();
  private sessionCounter = 0;

  constructor(
    wss: WebSocketServer,
    private readonly opts: FakeGatewayOptions,
  ) {
    super();
    this.setMaxListeners(0);
    wss.on('connection', (ws, req) => this.onConnection(ws, req));
  }

  /** Connections whose socket has not finished closing. */
  get openConnections(): number {
    return this.conns.size;
  }

  /** Sessions Discord would still resume. */
  get liveSessions(): number {
    return [...this.sessions.values()].filter((s) => !s.ended).length;
  }

  /** Sessions that a connection holds right now. */
  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => !s.ended && s.conn).length;
  }

  /** The highest sequence number dispatched on any session. */
  get lastSequence(): number {
    return Math.max(0, ...[...this.sessions.values()].map((s) => s.seq));
  }

  /** Logs a dispatch against every live session of the shard that owns it and sends it to those connected. */
  dispatch(t: string, d: unknown): void {
    const guild = guildOf(t, d);
    const shards = new Set<number>();
    for (const session of this.sessions.values()) {
      if (session.ended || session.shard[0] !== shardOfGuild(guild, session.shard[1])) continue;
      shards.add(session.shard[0]);
      this.append(session, t, d);
    }
    for (const shard of shards) this.routed.push({ t, shard });
  }

  // ---------- faults ----------

  /** Sends op 7 RECONNECT on every connected session: the client should close and RESUME. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) session.conn?.ws.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  /** Closes every connected session's socket with a resumable close code; later dispatches are queued. */
  closeResumable(code = 4000): void {
    for (const session of this.sessions.values()) {
      const conn = session.conn;
      if (!conn) continue;
      this.detach(conn);
      conn.ws.close(code, 'Fake Discord closed the connection');
    }
    this.changed();
  }

  /**
   * Turns every open connection into a zombie: heartbeats go unacknowledged and dispatches wait in
   * the session's log, as on a link that died silently. New connections are healthy.
   */
  stopAckingHeartbeats(): void {
    for (const conn of this.conns) conn.zombie = true;
  }

  /** Brings zombie connections that are still open back, as a link that recovers: the late ACKs, then the dispatches held meanwhile. */
  resumeAckingHeartbeats(): void {
    for (const conn of this.conns) {
      if (!conn.zombie) continue;
      conn.zombie = false;
      for (; conn.owedAcks > 0; conn.owedAcks--) this.send(conn, { op: 11, d: null });
      if (conn.session) this.flush(conn.session);
    }
  }

  /** Forgets every session (as when one times out) and closes connected ones with 4009: a RESUME now gets INVALID_SESSION. */
  expireSessions(): void {
    for (const session of this.sessions.values()) {
      session.ended = true;
      const conn = session.conn;
      if (!conn) continue;
      this.detach(conn);
      conn.ws.close(4009, 'Session timed out');
    }
    this.changed();
  }

  close(): void {
    for (const conn of this.conns) conn.ws.terminate();
  }

  // ---------- protocol ----------

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn: Connection = { ws, path: req.url ?? '/', sent: 0, zombie: false, owedAcks: 0 };
    this.conns.add(conn);
    this.connections.push(conn.path);
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      this.conns.delete(conn);
      const session = conn.session;
      if (session?.conn === conn) {
        this.detach(conn);
        if (ENDS_SESSION.has(code)) session.ended = true;
      }
      this.changed();
    });
    ws.on('message', (raw) => this.onFrame(conn, raw));
    this.send(conn, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } });
    this.changed();
  }

  private onFrame(conn: Connection, raw: unknown): void {
    let frame: { op?: unknown; d?: any };
    try {
      frame = JSON.parse(String(raw));
    } catch {
      conn.ws.close(4002, 'Decode error');
      return;
    }
    switch (frame.op) {
      case 1:
        this.heartbeats.push(typeof frame.d === 'number' ? frame.d : null);
        if (conn.zombie) conn.owedAcks++;
        else this.send(conn, { op: 11, d: null });
        break;
      case 2:
        this.identify(conn, frame.d);
        break;
      case 6:
        this.resume(conn, frame.d);
        break;
      default:
        if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
    }
    this.changed();
  }

  private identify(conn: Connection, d: any): void {
    this.identifies.push(d);
    if (conn.session) return void conn.ws.close(4005, 'Already authenticated.');
    if (d?.token !== this.opts.token) return void conn.ws.close(4004, 'Authentication failed.');
    const shard: Shard = Array.isArray(d?.shard) ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) return void conn.ws.close(4010, 'Invalid shard.');
    const session: Session = { id: `session_${++this.sessionCounter}_${Date.now()}`, shard, seq: 0, log: [], ended: false };
    this.sessions.set(session.id, session);
    this.attach(conn, session);
    this.append(session, 'READY', { ...this.opts.ready(shard), session_id: session.id, resume_gateway_url: `${this.opts.url()}/resume` });
    for (const { t, d: data } of this.opts.afterReady(shard)) this.append(session, t, data);
  }

  private resume(conn: Connection, d: any): void {
    if (conn.session) return void conn.ws.close(4005, 'Already authenticated.');
    if (d?.token !== this.opts.token) return void conn.ws.close(4004, 'Authentication failed.');
    const session = typeof d?.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d?.seq === 'number' ? d.seq : -1;
    if (!session || session.ended || seq < 0 || seq > session.seq) {
      this.rejectedResumes.push(d);
      this.send(conn, { op: 9, d: false });
      return;
    }
    const previous = session.conn;
    if (previous) {
      this.detach(previous);
      previous.ws.close(4000, 'Session resumed on another connection');
    }
    this.resumes.push(d);
    for (const entry of session.log) if (entry.s > seq) this.replayed.push({ t: entry.t, s: entry.s, d: entry.d });
    conn.sent = seq;
    this.attach(conn, session);
    this.flush(session);
    this.append(session, 'RESUMED', {});
  }

  private attach(conn: Connection, session: Session): void {
    conn.session = session;
    session.conn = conn;
  }

  private detach(conn: Connection): void {
    if (conn.session?.conn === conn) conn.session.conn = undefined;
  }

  private append(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.log.push({ s, t, d, frame: JSON.stringify({ op: 0, t, s, d }) });
    this.flush(session);
  }

  /** Sends the session's connection every logged dispatch it has not had yet. */
  private flush(session: Session): void {
    const conn = session.conn;
    if (!conn || conn.zombie || conn.ws.readyState !== WebSocket.OPEN) return;
    // The log holds sequence numbers 1, 2, 3…: entry s is at index s - 1.
    for (let i = conn.sent; i < session.log.length; i++) {
      const entry = session.log[i]!;
      conn.ws.send(entry.frame);
      conn.sent = entry.s;
    }
  }

  private send(conn: Connection, payload: { op: number; d: unknown }): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify({ ...payload, s: null, t: null }));
  }

  private changed(): void {
    this.emit('change');
  }
}
