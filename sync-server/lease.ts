// Which instance serves an agency: a lease in Redis (`ao:lease:<agency>` = "<instance> <address>", expiring
// after leaseMs unless its holder renews it), so members who reach another instance are passed on to the
// holder (proxy.ts). The lease only routes: Postgres's fencing number (pg-store.ts) is what keeps a second
// instance from writing, so a lost or stale lease (Redis restarted, an instance paused) costs a take-over,
// never a write. While Redis cannot be reached, an instance serves what reaches it (the balancer sends an
// agency's members to one instance anyway) and renews its leases once Redis is back.
import { Redis } from 'ioredis';
import type { Logger } from './log.ts';

/** Takes the lease when it is free or already ours (renewing it); returns its holder either way. */
const TAKE = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return v`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const TAKEN_CHANNEL = 'ao:taken';

export type Route = { kind: 'local' } | { kind: 'remote'; address: string };

export interface LeaseOptions {
  redisUrl: string;
  /** A name no other instance uses (random per process). */
  instance: string;
  /** host:port other instances reach this one at. */
  address: string;
  leaseMs: number;
  /** A lease on an agency not loaded here is given up this long after the last connection it routed. */
  idleMs: number;
  log: Logger;
  /** Whether this instance has the agency in memory. */
  loaded(room: string): boolean;
  /** Another instance holds the agency now: close its members here (they reconnect to the holder). */
  lost(room: string): void;
}

export class Leases {
  private readonly redis: Redis;
  private readonly sub: Redis;
  private readonly me: string;
  private readonly o: LeaseOptions;
  /** Agencies whose lease this instance holds, with when it last routed a connection to itself. */
  private readonly held = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private renewing = false;

  private constructor(o: LeaseOptions, redis: Redis, sub: Redis) {
    this.o = o;
    this.redis = redis;
    this.sub = sub;
    this.me = `${o.instance} ${o.address}`;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(o.leaseMs / 3)));
    this.timer.unref();
    sub.on('message', (_channel: string, message: string) => {
      const [room, instance] = message.split(' ');
      if (!room || instance === o.instance) return;
      this.held.delete(room);
      if (o.loaded(room)) o.lost(room);
    });
  }

  static async open(o: LeaseOptions): Promise<Leases> {
    const options = {
      // Commands fail at once while Redis is away (routing then serves locally) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1_000,
      retryStrategy: () => 200,
      lazyConnect: true,
    };
    const redis = new Redis(o.redisUrl, options);
    const sub = new Redis(o.redisUrl, { ...options, enableOfflineQueue: true, commandTimeout: undefined });
    let warned = false;
    for (const r of [redis, sub]) {
      r.on('error', (error: Error) => {
        if (!warned) o.log.warn('redis unreachable', { error: error.message });
        warned = true;
      });
      r.on('ready', () => {
        if (warned) o.log.info('redis reachable again');
        warned = false;
      });
    }
    await redis.connect();
    await sub.connect();
    await sub.subscribe(TAKEN_CHANNEL);
    return new Leases(o, redis, sub);
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** Where a connection to `room` should be served: here (the lease is ours now) or at its holder. */
  async route(room: string): Promise<Route> {
    if (this.closed) return { kind: 'local' };
    if (this.held.has(room) || !this.ready) {
      // ours, or Redis away: served here (renew() takes the lease once Redis is back)
      this.held.set(room, Date.now());
      return { kind: 'local' };
    }
    let holder: string;
    try {
      holder = String(await this.redis.eval(TAKE, 1, key(room), this.me, this.o.leaseMs));
    } catch {
      this.held.set(room, Date.now());
      return { kind: 'local' };
    }
    if (holder === this.me) {
      this.held.set(room, Date.now());
      // whoever still has it in memory (its lease expired, or Redis lost it) lets its members go
      this.redis.publish(TAKEN_CHANNEL, `${room} ${this.o.instance}`).catch(() => {});
      return { kind: 'local' };
    }
    return { kind: 'remote', address: holder.slice(holder.indexOf(' ') + 1) };
  }

  holds(room: string): boolean {
    return this.held.has(room);
  }

  /**
   * Renews the leases of agencies loaded here (one round trip for all), gives up the others, and lets go
   * of those another instance took.
   */
  private async renew(): Promise<void> {
    if (!this.ready || this.closed || this.renewing) return;
    this.renewing = true;
    try {
      const now = Date.now();
      const batch = this.redis.pipeline();
      /** Per command of the batch, the room it renews (null: a release). */
      const renewed: (string | null)[] = [];
      for (const [room, routed] of this.held) {
        if (!this.o.loaded(room) && now - routed > this.o.idleMs) {
          this.held.delete(room);
          renewed.push(null);
          batch.eval(RELEASE, 1, key(room), this.me);
          continue;
        }
        renewed.push(room);
        batch.eval(TAKE, 1, key(room), this.me, this.o.leaseMs);
      }
      if (!batch.length) return;
      const results = await batch.exec();
      if (!results) return;
      for (let k = 0; k < results.length; k++) {
        const [error, value] = results[k]!;
        const room = renewed[k];
        if (!room || error) continue;
        if (value !== this.me && this.held.delete(room)) {
          this.o.log.warn('another instance holds this agency now', { room });
          this.o.lost(room);
        }
      }
    } catch {
      // Redis went away mid-way: try again next time
    } finally {
      this.renewing = false;
    }
  }

  /** Gives up every lease (a clean stop: other instances take the agencies over at once). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.ready)
      await Promise.all(
        [...this.held.keys()].map((room) => this.redis.eval(RELEASE, 1, key(room), this.me)),
      ).catch(() => {});
    this.held.clear();
    this.redis.disconnect();
    this.sub.disconnect();
  }
}

const key = (room: string): string => `ao:lease:${room}`;
