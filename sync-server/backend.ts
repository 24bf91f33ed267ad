// Where the server keeps agencies and how it learns which it may serve. By default one SQLite file and
// every agency served here (one process). With --store postgres://… and --redis redis://…, one of many
// instances: Postgres keeps the log and fences writers (pg-store.ts), Redis leases say which instance serves
// an agency (lease.ts), and a connection that reaches another instance is passed on to it (proxy.ts).
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Committer } from './committer.ts';
import { Leases } from './lease.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { Store } from './persistence.ts';
import { PgCommitter } from './pg-committer.ts';
import { PgStore } from './pg-store.ts';
import { dial } from './proxy.ts';
import type { Room } from './room.ts';
import type { RoomStore, TurnWriter } from './room-store.ts';
import type { Rooms } from './rooms.ts';

export type Placement = { kind: 'local' } | { kind: 'proxy'; upstream: Socket } | { kind: 'unavailable' };

export interface Backend {
  store: RoomStore;
  writer: TurnWriter;
  /** The data file, or the Postgres address without its password (the "listening" line). */
  where: string;
  /** Once listening on `port`: join the other instances (cluster only). */
  start(port: number): Promise<void>;
  /** Where a connection to `room` is served; `hop`: it was passed on by another instance already. */
  place(room: string, hop: boolean): Promise<Placement>;
  /** Writes what is pending, gives up leases, closes the store. */
  close(): Promise<void>;
}

export interface BackendOptions {
  dataDir: string;
  /** postgres://… : run as one of many instances. */
  store?: string | null;
  redis?: string | null;
  /** host:port the other instances reach this one at (default: the listening host and port). */
  advertise?: string | null;
  host: string;
  /** How long an instance's hold on an agency outlives its last renewal (it renews 3 times in it). */
  leaseMs: number;
  /** How long a connection waits for a dead holder's lease to expire before it is told to retry. */
  placeTimeoutMs?: number;
  authDeadlineMs: number;
}

/** What the backend needs of the server's rooms (made after it: they need its store). */
export interface RoomsHandle {
  rooms(): Rooms;
}

export function sqliteBackend(
  dataDir: string,
  metrics: Metrics,
  log: Logger,
  handle: RoomsHandle,
): Backend & { sqlite: Store; committer: Committer } {
  const store = Store.open(dataDir, true);
  const committer = new Committer(store, metrics, log, (room) => {
    room.fail();
    handle.rooms().discard(room);
  });
  return {
    sqlite: store,
    committer,
    store,
    writer: committer,
    where: store.path,
    start: async () => {},
    place: async () => ({ kind: 'local' }),
    async close() {
      committer.flush();
      store.close();
    },
  };
}

export async function clusterBackend(
  o: BackendOptions,
  metrics: Metrics,
  log: Logger,
  handle: RoomsHandle,
): Promise<Backend> {
  if (!o.redis)
    throw new Error('--store postgres://… needs --redis redis://… (instances coordinate through it)');
  const instance = randomBytes(6).toString('base64url');
  const store = await PgStore.open(o.store!, instance);
  let committer: PgCommitter;
  const drop = (room: Room, why: string) => {
    committer.drop(room);
    for (const peer of [...room.peers]) peer.refuse('UNAVAILABLE', why);
    room.fail();
    handle.rooms().discard(room);
    store.forget(room.id);
  };
  committer = new PgCommitter(store, metrics, log, (room, fenced) =>
    drop(
      room,
      fenced
        ? 'This agency is served by another instance now: reconnect.'
        : 'The server could not store updates.',
    ),
  );
  store.onLost = (id, error) => {
    log.warn('a queued write of an agency failed', { room: id, error });
    const room = handle.rooms().peek(id);
    if (room) drop(room, 'This agency is served by another instance now: reconnect.');
  };
  let leases: Leases | null = null;
  const placeTimeoutMs = o.placeTimeoutMs ?? o.leaseMs + 2_000;
  log.info('instance', { instance });
  return {
    store,
    writer: committer,
    where: store.path,
    async start(port) {
      const host = o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
      leases = await Leases.open({
        redisUrl: o.redis!,
        instance,
        address: o.advertise || `${host.includes(':') ? `[${host}]` : host}:${port}`,
        leaseMs: o.leaseMs,
        idleMs: o.authDeadlineMs + 5_000,
        log,
        loaded: (id) => handle.rooms().peek(id) !== undefined,
        lost: (id) => {
          const room = handle.rooms().peek(id);
          if (room) drop(room, 'This agency is served by another instance now: reconnect.');
        },
      });
    },
    async place(room, hop) {
      const deadline = Date.now() + placeTimeoutMs;
      for (;;) {
        const route = leases ? await leases.route(room) : ({ kind: 'local' } as const);
        if (route.kind === 'local') return route;
        // passed on once already: the holder changed meanwhile, the client comes back
        if (hop) return { kind: 'unavailable' };
        try {
          return { kind: 'proxy', upstream: await dial(route.address) };
        } catch {
          // the holder is gone (killed): its lease expires within leaseMs, then this instance takes it
          if (Date.now() > deadline) return { kind: 'unavailable' };
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async close() {
      await committer.flush();
      await store.drain();
      await leases?.close();
      await store.close();
    },
  };
}
