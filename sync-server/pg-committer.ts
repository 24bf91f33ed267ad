// Durability before relay, on Postgres: what rooms accept while a transaction is in flight is written by the
// next one (a group commit: one round trip for many updates and agencies), one transaction at a time so
// each agency's rows keep their order; only once it commits are the updates relayed and acknowledged
// (Room.committed), as with SQLite (committer.ts). A room this instance was fenced off from is dropped: its
// members reconnect and reach the instance that owns it now.
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { PgStore } from './pg-store.ts';
import type { Accepted, Room } from './room.ts';
import type { TurnWriter } from './room-store.ts';

export class PgCommitter implements TurnWriter {
  private pending: Accepted[] = [];
  private writing: Promise<void> | null = null;
  private scheduled: NodeJS.Immediate | null = null;
  /** Rooms whose commit failed: what they accepted before is not written after it (it could leave a gap). */
  private readonly failed = new WeakSet<Room>();
  private readonly store: PgStore;
  private readonly metrics: Metrics;
  private readonly log: Logger;
  /** A commit failed for `room` (Postgres unreachable), or another instance owns it now (`fenced`). */
  private readonly onFailure: (room: Room, fenced: boolean) => void;

  constructor(
    store: PgStore,
    metrics: Metrics,
    log: Logger,
    onFailure: (room: Room, fenced: boolean) => void,
  ) {
    this.store = store;
    this.metrics = metrics;
    this.log = log;
    this.onFailure = onFailure;
  }

  accept(item: Accepted): void {
    this.pending.push(item);
    // after the turn's I/O, like SQLite's committer; while a write is in flight, its end starts the next
    if (!this.writing) this.scheduled ??= setImmediate(() => this.start());
  }

  checkpoint(): void {}

  async flush(): Promise<void> {
    while (this.writing || this.pending.length) {
      if (!this.writing) this.start();
      await this.writing;
    }
  }

  private start(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.writing || !this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
      if (this.pending.length) this.start();
    });
  }

  /** Writes nothing more of `room` (dropped: another instance owns it). */
  drop(room: Room): void {
    this.failed.add(room);
  }

  private fail(room: Room, fenced: boolean): void {
    if (this.failed.has(room)) return;
    this.failed.add(room);
    this.onFailure(room, fenced);
  }

  private async write(all: Accepted[]): Promise<void> {
    const batch = all.filter((i) => !this.failed.has(i.room));
    const writes = batch.filter((i) => i.admitted !== null);
    let ids: number[] = [];
    let fenced = new Set<string>();
    if (writes.length) {
      const started = performance.now();
      try {
        const r = await this.store.append(
          writes.map((w) => ({ room: w.room.id, update: w.admitted!.update, claims: w.admitted!.claims })),
        );
        ids = r.ids;
        fenced = r.fenced;
      } catch (error) {
        this.log.error('persist failed', { error, updates: writes.length });
        for (const room of new Set(batch.map((i) => i.room))) this.fail(room, false);
        return;
      }
      this.metrics.persistSeconds.observe((performance.now() - started) / 1000);
    }
    const byRoom = new Map<Room, { items: Accepted[]; lastRowId: number }>();
    let w = 0;
    for (const item of batch) {
      let group = byRoom.get(item.room);
      if (!group) {
        group = { items: [], lastRowId: 0 };
        byRoom.set(item.room, group);
      }
      group.items.push(item);
      if (item.admitted !== null) {
        const id = ids[w++]!;
        if (id) group.lastRowId = id;
        if (id) this.metrics.actionsAccepted.inc({}, item.admitted.actions);
      }
    }
    for (const [room, group] of byRoom) {
      if (fenced.has(room.id)) {
        this.log.warn('another instance took this agency over', { room: room.id });
        this.fail(room, true);
        continue;
      }
      try {
        room.committed(group.items, group.lastRowId);
      } catch (error) {
        this.log.error('publishing a commit failed', { room: room.id, error });
      }
    }
  }
}
