// Writes the log's derived snapshot (what a restarted worker opens from) now and then: it grows with the
// log and is cloned in one go, so it is written less often than the doc, in the same transaction as the
// doc updates it covers (DocStore.setMeta), never ahead of them.
import type { AgencyLog } from '../../core/index.ts';
import type { DocStore } from './doc-store.ts';
import { SNAPSHOT_KEY } from './local-meta.ts';

/** The derived snapshot is written at most this often (it grows with the log; the doc is written at once). */
export const SNAPSHOT_EVERY_MS = 2_000;

export class SnapshotWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private stopped = false;

  private readonly store: DocStore;
  private readonly log: AgencyLog;

  constructor(store: DocStore, log: AgencyLog) {
    this.store = store;
    this.log = log;
  }

  /** The log changed: write a snapshot soon. */
  schedule(): void {
    this.dirty = true;
    if (this.timer || this.stopped) return;
    // On a big log, write it less often so its cost stays a small share of the worker's time (50× its last
    // cost, at least every 2 s).
    const cost = this.store.stats.metaMs.get(SNAPSHOT_KEY) ?? 0;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.write();
      },
      Math.max(SNAPSHOT_EVERY_MS, 50 * cost),
    );
  }

  /** Queues the snapshot for the next write transaction if the log changed since the last one. */
  write(): void {
    if (!this.dirty) return;
    this.dirty = false;
    // Produced when the write transaction is built, after the doc updates it covers are queued in it.
    this.store.setMeta(SNAPSHOT_KEY, () => this.log.snapshot());
  }

  /** Writes what is pending and schedules nothing more (the replica closes). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.write();
  }
}
