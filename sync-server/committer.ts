// Durability before relay: the updates rooms accept during one event-loop turn are written to SQLite in
// one transaction (setImmediate runs after the turn's I/O callbacks), and only then relayed and ACKed.
// WAL + synchronous=NORMAL makes the commit survive `kill -9` without an fsync per update.
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Store } from './persistence.ts';
import type { Accepted, Room } from './room.ts';

/** Checkpoint once writes paused this long, or anyway once the WAL holds this much. */
const QUIET_MS = 500;
const WAL_LIMIT_BYTES = 16 * 1024 * 1024;

export class Committer {
  private pending: Accepted[] = [];
  private lastCommit = 0;
  private uncheckpointed = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly store: Store;
  private readonly metrics: Metrics;
  private readonly log: Logger;
  private readonly onFailure: (room: Room) => void;

  constructor(store: Store, metrics: Metrics, log: Logger, onFailure: (room: Room) => void) {
    this.store = store;
    this.metrics = metrics;
    this.log = log;
    this.onFailure = onFailure;
  }

  /**
   * Moves the WAL into the database file between bursts (server.ts calls this every second), so the
   * checkpoint's fsync never delays a relay; under writes without pause, once the WAL is large.
   */
  checkpoint(now: number): void {
    if (!this.uncheckpointed) return;
    if (now - this.lastCommit < QUIET_MS && this.store.walBytes() < WAL_LIMIT_BYTES) return;
    try {
      this.store.checkpoint();
      this.uncheckpointed = 0;
    } catch (error) {
      this.log.warn('checkpoint failed', { error });
    }
  }

  accept(item: Accepted): void {
    this.pending.push(item);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes and publishes everything accepted so far (also called on shutdown). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    const writes = batch.filter((i) => i.admitted !== null);
    let ids: number[] = [];
    if (writes.length) {
      const started = performance.now();
      try {
        ids = this.store.append(
          writes.map((w) => ({ room: w.room.id, update: w.admitted!.update, claims: w.admitted!.claims })),
        );
      } catch (error) {
        this.log.error('persist failed', { error, updates: writes.length });
        for (const room of new Set(batch.map((i) => i.room))) this.onFailure(room);
        return;
      }
      this.metrics.persistSeconds.observe((performance.now() - started) / 1000);
      this.lastCommit = Date.now();
      this.uncheckpointed += writes.length;
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
        group.lastRowId = ids[w++]!;
        this.metrics.actionsAccepted.inc({}, item.admitted.actions);
      }
    }
    for (const [room, group] of byRoom) {
      try {
        room.committed(group.items, group.lastRowId);
      } catch (error) {
        this.log.error('publishing a commit failed', { room: room.id, error });
      }
    }
  }
}
