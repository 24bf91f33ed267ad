// The sync server: HTTP (GET /healthz, GET /metrics) and WebSocket upgrades on one port, one room per
// agency id (the URL path). Programmatic entry point for tests and scripts: startSyncServer().
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  AUTH_DEADLINE_MS,
  CLOSE,
  DEFAULT_MAX_MESSAGE_BYTES,
  HEARTBEAT_MS,
  RoomIdSchema,
} from '../core/protocol.ts';
import { tokenMatches } from './auth.ts';
import { type Backend, clusterBackend, sqliteBackend } from './backend.ts';
import { Connection } from './connection.ts';
import { verifyEd25519 } from './ed25519.ts';
import { AddressCounter } from './limits.ts';
import { createLogger, type Logger, type LogLevel } from './log.ts';
import { DEFAULT_MAX_MEMORY, MemoryBudget } from './memory.ts';
import { Metrics } from './metrics.ts';
import { HOP_HEADER, pipeUpgrade } from './proxy.ts';
import { Rooms } from './rooms.ts';
import { AgencySocket, MAX_FRAGMENTS, PREAUTH_CHUNKS, PREAUTH_FRAME_BYTES } from './socket.ts';
import { UpgradePacer } from './upgrade-pace.ts';
import { HEARTBEAT_FRAME } from './wire.ts';

export interface SyncServerOptions {
  /** 0 picks a free port. Default 1234. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Folder of the SQLite data file; created if missing. */
  dataDir: string;
  /** When set, creating a new agency needs this token; without one, only a loopback-only server allows it. */
  createToken?: string | null;
  logLevel?: LogLevel;
  /** Overrides logLevel: where log lines go (tests capture them). */
  logger?: Logger;
  maxMessageBytes?: number;
  maxRooms?: number;
  maxConnectionsPerIp?: number;
  /** New actions per second per connection (sustained) and the burst allowed on top. */
  actionsPerSecond?: number;
  actionBurst?: number;
  messagesPerSecond?: number;
  messageBurst?: number;
  /** The server sends something to every open connection at least this often. */
  heartbeatMs?: number;
  /** A WebSocket ping to every member this often; a peer that answered neither it nor anything since is dropped. */
  pingMs?: number;
  authDeadlineMs?: number;
  /** Unload a room this long after its last connection left. */
  idleUnloadMs?: number;
  /** Free a room's derived state after this long without writes (kept: its membership). */
  deriveIdleMs?: number;
  /** Close a connection whose updates wait this long for data that never arrives. */
  waitTimeoutMs?: number;
  /** Merge a room's rows into one once it has this many. */
  compactRows?: number;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For, and never treat loopback as private. */
  trustProxy?: boolean;
  /** The server's clock (ms since 1970): invite expiry and the 5-minute rule are judged by it. */
  clock?: () => number;
  /** The memory budget in bytes (memory.ts): holding 85% of it, the server refuses new work. */
  maxMemory?: number;
  /** postgres://… : keep agencies in Postgres as one of many instances (needs `redis`); dataDir is then unused. */
  store?: string | null;
  /** redis://… : where the instances lease agencies to each other (lease.ts). */
  redis?: string | null;
  /** host:port the other instances reach this one at (default: the listening host and port). */
  advertise?: string | null;
  /** How long an instance's hold on an agency outlives its last renewal. */
  leaseMs?: number;
}

export interface SyncServer {
  port: number;
  host: string;
  /** ws://HOST:PORT (the address clients connect to). */
  url: string;
  dataFile: string;
  metrics: Metrics;
  /** Counts for tests and benchmarks. */
  stats(): { rooms: number; connections: number; open: number; waiting: number };
  /** Unloads idle rooms now (the periodic sweep does it on its own). */
  sweep(): number;
  close(): Promise<void>;
}

export const DEFAULTS = {
  port: 1234,
  host: '127.0.0.1',
  logLevel: 'info' as LogLevel,
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  maxRooms: 10_000,
  maxConnectionsPerIp: 256,
  actionsPerSecond: 50,
  actionBurst: 500,
  messagesPerSecond: 200,
  messageBurst: 2_000,
  heartbeatMs: HEARTBEAT_MS,
  pingMs: 30_000,
  authDeadlineMs: AUTH_DEADLINE_MS,
  idleUnloadMs: 5_000,
  deriveIdleMs: 10_000,
  waitTimeoutMs: 30_000,
  compactRows: 500,
  maxMemory: DEFAULT_MAX_MEMORY,
  leaseMs: 2_500,
};

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
      .split(',')
      .map((s) => s.trim());
    const last = list.filter(Boolean).pop();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as typeof DEFAULTS & SyncServerOptions;
  const log = o.logger ?? createLogger(o.logLevel);
  const createToken = o.createToken || null;
  const metrics = new Metrics();
  let rooms: Rooms;
  const handle = { rooms: () => rooms };
  const backend: Backend = o.store
    ? await clusterBackend({ ...o, dataDir: o.dataDir }, metrics, log, handle)
    : sqliteBackend(o.dataDir, metrics, log, handle);
  const now = o.clock ?? (() => Date.now());
  const connections = new Set<Connection>();
  const addresses = new AddressCounter(o.maxConnectionsPerIp);
  const upgrades = new UpgradePacer();
  const openCreation = isLoopback(o.host) && !o.trustProxy;
  rooms = new Rooms(
    {
      store: backend.store,
      accept: (item) => backend.writer.accept(item),
      now,
      verify: verifyEd25519,
      maxMessageBytes: o.maxMessageBytes,
      compactRows: o.compactRows,
      onError: (room, error) => log.error('processing an update failed', { room, error }),
      onNotice: (room, message, fields) => log.warn(message, { room, ...fields }),
      onRelay: (frames) => metrics.updatesOut.inc({}, frames),
      onRetry: (updates) => metrics.updatesRetried.inc({}, updates),
    },
    { maxRooms: o.maxRooms, idleUnloadMs: o.idleUnloadMs, deriveIdleMs: o.deriveIdleMs },
    metrics,
    log,
  );
  let ready = false;
  let closing = false;
  const openCount = () => {
    let n = 0;
    for (const c of connections) if (c.open) n++;
    return n;
  };
  metrics.gauge(
    'agency_sync_connections',
    'Open WebSocket connections (authenticated or not).',
    () => connections.size,
  );
  metrics.gauge(
    'agency_sync_connections_authenticated',
    'Connections that proved their standing.',
    openCount,
  );
  metrics.gauge('agency_sync_rooms_loaded', 'Agencies (rooms) in memory.', () => rooms.size);
  const waitingCount = () => {
    let n = 0;
    for (const c of connections) n += c.waiting?.items.length ?? 0;
    return n;
  };
  metrics.gauge(
    'agency_sync_updates_waiting',
    'Updates held until what they wait for (a gap, a dependency) arrives.',
    waitingCount,
  );

  const memory = new MemoryBudget(o.maxMemory, o.maxMessageBytes);
  const watch = setInterval(() => memory.refresh(), 100);
  watch.unref();
  metrics.gauge(
    'agency_sync_memory_budget_bytes',
    'The memory budget (--max-memory).',
    () => memory.maxBytes,
  );
  metrics.gauge(
    'agency_sync_memory_held_bytes',
    "V8's heap in use plus buffers outside it: what the budget is measured against.",
    () => memory.heldBytes,
  );
  metrics.gauge(
    'agency_sync_memory_pressed',
    '1 while the process holds 85% of the budget (or of V8’s heap limit) and new work is refused.',
    () => (memory.pressed ? 1 : 0),
  );
  metrics.gauge(
    'agency_sync_large_message_slots_taken',
    'Connections allowed to send a full-size catch-up right now.',
    () => memory.slotsTaken,
  );

  // Every connection starts with the limits of one that has not proven anything (socket.ts); ws refuses a
  // frame past them from its header, before buffering it.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: PREAUTH_FRAME_BYTES,
    maxBufferedChunks: PREAUTH_CHUNKS,
    maxFragments: MAX_FRAGMENTS,
    WebSocket: AgencySocket,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const body = JSON.stringify({
        status: ready && !closing ? 'ok' : 'starting',
        rooms: rooms.size,
        connections: connections.size,
        uptimeSeconds: Math.round(process.uptime()),
      });
      res.writeHead(ready && !closing ? 200 : 503, { 'Content-Type': 'application/json' }).end(body);
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(metrics.render());
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        error: 'Not found. Agency Overlay sync server: connect with WebSocket to /<agency id>.',
      }),
    );
  };

  let proxied = 0;
  metrics.gauge(
    'agency_sync_connections_passed_on',
    'Connections passed on to the instance that serves their agency (many instances only).',
    () => proxied,
  );
  const http: Server = createServer(onRequest);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    if (closing) return refuseUpgrade(socket, 503, 'Shutting down');
    let room: string;
    try {
      room = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    } catch {
      return refuseUpgrade(socket, 400, 'Bad agency id');
    }
    if (!RoomIdSchema.safeParse(room).success) return refuseUpgrade(socket, 400, 'Bad agency id');
    const address = clientAddress(req, o.trustProxy ?? false);
    upgrades.run(address, () => {
      // it may have waited a turn or more (upgrade-pace.ts)
      if (closing) return refuseUpgrade(socket, 503, 'Shutting down');
      if (socket.destroyed) return;
      place(req, socket, head, room, address);
    });
  });

  const place = (req: IncomingMessage, socket: Duplex, head: Buffer, room: string, address: string) => {
    if (!o.store) return serve(req, socket, head, room, address);
    // one of many instances: the one that holds the agency serves it
    void backend.place(room, req.headers[HOP_HEADER] !== undefined).then(
      (placed) => {
        if (socket.destroyed) {
          if (placed.kind === 'proxy') placed.upstream.destroy();
          return;
        }
        if (placed.kind === 'local') return serve(req, socket, head, room, address);
        if (placed.kind === 'unavailable') return refuseUpgrade(socket, 503, 'Agency moving: try again');
        proxied++;
        placed.upstream.once('close', () => proxied--);
        pipeUpgrade(req, socket, head, placed.upstream, address);
      },
      (error) => {
        log.error('placing a connection failed', { room, error });
        refuseUpgrade(socket, 503, 'Try again');
      },
    );
  };

  const serve = (req: IncomingMessage, socket: Duplex, head: Buffer, room: string, address: string) => {
    if (closing) return refuseUpgrade(socket, 503, 'Shutting down');
    wss.handleUpgrade(req, socket, head, (ws) => {
      metrics.connectionsTotal.inc();
      if (memory.pressed) {
        metrics.refusals.inc({ reason: 'UNAVAILABLE' });
        ws.close(CLOSE.UNAVAILABLE.code, 'The server is short of memory: try again later.');
        return;
      }
      if (!addresses.acquire(address)) {
        metrics.refusals.inc({ reason: 'TOO_MANY_CONNECTIONS' });
        ws.close(CLOSE.TOO_MANY_CONNECTIONS.code, CLOSE.TOO_MANY_CONNECTIONS.reason);
        return;
      }
      const conn = new Connection(ws as AgencySocket, address, room, {
        rooms,
        memory,
        metrics,
        log,
        now,
        verify: verifyEd25519,
        mayCreate: (token) => (createToken ? tokenMatches(createToken, token) : openCreation),
        maxMessageBytes: o.maxMessageBytes,
        authDeadlineMs: o.authDeadlineMs,
        actionsPerSecond: o.actionsPerSecond,
        actionBurst: o.actionBurst,
        messagesPerSecond: o.messagesPerSecond,
        messageBurst: o.messageBurst,
        onClosed: (c) => {
          if (connections.delete(c)) addresses.release(c.address);
        },
      });
      connections.add(conn);
    });
  };

  // One sweep for every connection (no timer per socket): heartbeats, dead peers, stuck updates.
  const sweepEvery = Math.max(50, Math.min(5_000, Math.floor(o.heartbeatMs / 4), Math.floor(o.pingMs / 4)));
  let lastPing = now();
  // A peer that did not answer a ping is dropped, unless this process was stalled since the ping (its
  // pong may be waiting to be read): a stall must not cost every connection (issue 8, item 12).
  let lastSweep = performance.now();
  let stalledSincePing = false;
  const sweep = setInterval(() => {
    const t = now();
    const real = performance.now();
    if (real - lastSweep > sweepEvery + 1_000) stalledSincePing = true;
    lastSweep = real;
    const ping = t - lastPing >= o.pingMs;
    const dropSilent = ping && !stalledSincePing;
    if (ping) {
      lastPing = t;
      stalledSincePing = false;
    }
    const unanswered: Connection[] = [];
    for (const conn of connections) {
      if (!conn.open) continue;
      conn.tick(t);
      if (conn.waiting && t - conn.waiting.since > o.waitTimeoutMs) {
        conn.refuse('MALFORMED', 'Updates waited too long for data that never arrived.');
        continue;
      }
      // y-websocket reconnects after 30 s without a message: never let a connection get near that.
      if (t - conn.lastSent >= o.heartbeatMs - sweepEvery) conn.send(HEARTBEAT_FRAME);
      if (ping) {
        if (!conn.answered && dropSilent) {
          unanswered.push(conn);
          continue;
        }
        conn.ping();
      }
    }
    // Timers run before the event loop reads its sockets: after a stall shorter than the one noticed above,
    // a pong may be waiting to be read. The verdict comes after this turn's reads.
    if (unanswered.length)
      setImmediate(() => {
        for (const conn of unanswered) {
          if (!conn.open) continue;
          if (conn.answered) conn.ping();
          else conn.ws.terminate();
        }
      });
  }, sweepEvery);
  sweep.unref();
  // The WAL is moved into the database file between bursts (committer.ts), never inside a commit.
  const checkpoints = setInterval(() => backend.writer.checkpoint(Date.now()), 1_000);
  checkpoints.unref();
  const roomSweep = setInterval(
    () => rooms.sweep(now()),
    Math.max(50, Math.min(1_000, Math.floor(o.idleUnloadMs / 2))),
  );
  roomSweep.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (error) => log.error('http server error', { error }));
  const port = (http.address() as AddressInfo).port;
  await backend.start(port);
  ready = true;
  const urlHost =
    o.host.includes(':') && !o.host.startsWith('[')
      ? `[${o.host}]`
      : o.host === '0.0.0.0'
        ? '127.0.0.1'
        : o.host;
  const url = `ws://${urlHost}:${port}`;
  log.notice('listening', {
    port,
    host: o.host,
    url,
    data: backend.where,
    creation: createToken
      ? 'creation token required'
      : openCreation
        ? 'open (loopback only)'
        : 'closed (no creation token set)',
  });

  return {
    port,
    host: o.host,
    url,
    dataFile: backend.where,
    metrics,
    stats: () => ({
      rooms: rooms.size,
      connections: connections.size,
      open: openCount(),
      waiting: waitingCount(),
    }),
    sweep: () => rooms.sweep(now() + o.idleUnloadMs),
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(sweep);
      clearInterval(roomSweep);
      clearInterval(checkpoints);
      clearInterval(watch);
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      for (const room of rooms.all()) await room.settled();
      await backend.writer.flush();
      const sockets = [...connections].map((c) => c.ws);
      for (const conn of [...connections]) conn.shutdown();
      await Promise.race([
        Promise.all(
          sockets.map((ws) => (ws.readyState === ws.CLOSED ? null : new Promise((r) => ws.once('close', r)))),
        ),
        new Promise((r) => setTimeout(r, 1_000).unref()),
      ]);
      for (const ws of sockets) ws.terminate();
      for (const room of [...rooms.all()]) rooms.unload(room);
      await backend.close();
      metrics.stop();
      http.closeAllConnections();
      await httpClosed;
      log.info('stopped', { port });
    },
  };
}
