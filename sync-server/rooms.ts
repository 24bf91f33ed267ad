// The rooms in memory: loaded on demand from the data file, unloaded a few seconds after their last
// connection leaves (after merging their rows into one), and capped in number.
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import { Room, type RoomContext } from './room.ts';

export class RoomsFull extends Error {}

const COMPACT_QUIET_MS = 1_000;

export interface RoomsOptions {
  maxRooms: number;
  /** Unload a room this long after its last connection left. */
  idleUnloadMs: number;
  /** Drop a room's derivation (keeping its membership) after this long without writes. */
  deriveIdleMs: number;
}

export class Rooms {
  private readonly map = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly ctx: RoomContext;
  private readonly opts: RoomsOptions;
  private readonly metrics: Metrics;
  private readonly log: Logger;

  constructor(ctx: RoomContext, opts: RoomsOptions, metrics: Metrics, log: Logger) {
    this.ctx = ctx;
    this.opts = opts;
    this.metrics = metrics;
    this.log = log;
  }

  get size(): number {
    return this.map.size;
  }

  peek(id: string): Room | undefined {
    return this.map.get(id);
  }

  all(): IterableIterator<Room> {
    return this.map.values();
  }

  /** The room, loading it if needed. Throws RoomsFull, or the store's error for unreadable data. */
  async get(id: string): Promise<Room> {
    const loaded = this.map.get(id);
    if (loaded) return loaded;
    let loading = this.loading.get(id);
    if (!loading) {
      if (this.map.size + this.loading.size >= this.opts.maxRooms && !this.evictOne())
        throw new RoomsFull('too many rooms in memory');
      loading = this.load(id);
      this.loading.set(id, loading);
      void loading.finally(() => this.loading.delete(id)).catch(() => {});
    }
    return loading;
  }

  private async load(id: string): Promise<Room> {
    const started = performance.now();
    const room = await Room.load(id, this.ctx);
    this.metrics.roomLoadSeconds.observe((performance.now() - started) / 1000);
    this.map.set(id, room);
    this.log.debug('room loaded', { room: id, ms: +(performance.now() - started).toFixed(2) });
    return room;
  }

  /** Unloads idle rooms and frees idle derivations. Returns how many rooms were unloaded. */
  sweep(now: number): number {
    let unloaded = 0;
    for (const room of [...this.map.values()]) {
      if (room.busy) continue;
      if (room.peers.size === 0 && now - room.lastActive >= this.opts.idleUnloadMs) {
        this.unload(room);
        unloaded++;
        continue;
      }
      // Merging a room's rows costs a pass over its whole log: done between bursts, not on the write path
      // (or anyway once far past the threshold, so a room written without pause still compacts).
      if (room.wantsCompaction && (now - room.lastWrite >= COMPACT_QUIET_MS || room.wantsCompactionBadly)) {
        try {
          room.compact();
        } catch (error) {
          this.log.error('compaction failed', { room: room.id, error });
        }
      }
      if (now - Math.max(room.lastWrite, room.lastActive) >= this.opts.deriveIdleMs) room.dropDerivation();
    }
    return unloaded;
  }

  unload(room: Room): void {
    try {
      if (room.wantsCompaction) room.compact();
    } catch (error) {
      this.log.error('compaction failed', { room: room.id, error });
    }
    this.map.delete(room.id);
    this.log.debug('room unloaded', { room: room.id });
  }

  /** Forgets a room without touching the data file (after a failed commit: reload from what is durable). */
  discard(room: Room): void {
    if (this.map.get(room.id) === room) this.map.delete(room.id);
  }

  private evictOne(): boolean {
    let oldest: Room | null = null;
    for (const room of this.map.values()) {
      if (room.peers.size || room.busy) continue;
      if (!oldest || room.lastActive < oldest.lastActive) oldest = room;
    }
    if (!oldest) return false;
    this.unload(oldest);
    return true;
  }
}
