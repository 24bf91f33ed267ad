// Writes the log's derived snapshot (what a restarted worker opens from) now and then: it grows with the
// log and is cloned in one go, so it is written less often than the doc, in the same transaction as the
// doc updates it covers (DocStore.setMeta), never ahead of them.
//
// A restarted worker shows the snapshot before the doc is read (local-meta.ts cachedView), so a snapshot that
// lags shows an old balance for a moment. The member's own actions are the ones they remember taking: while
// writing the snapshot is cheap (its last write took at most OWN_ACTION_SNAPSHOT_MS), it is written with each
// own action (queued right after it, so "saved" covers both). On a big log it keeps the timer's cadence.
import type { AgencyLog } from '../../core/index.ts';
import type { DocStore } from './doc-store.ts';
import { SNAPSHOT_AT_KEY, SNAPSHOT_KEY } from './local-meta.ts';

/** The derived snapshot is written at most this often (it grows with the log; the doc is written at once). */
export const SNAPSHOT_EVERY_MS = 2_000;

/** The snapshot is written with each own action while its last write took at most this long (ms). */
export const OWN_ACTION_SNAPSHOT_MS = 10;
/** Before any write measured it, the snapshot counts as cheap up to this many actions (~5 ms on the bench). */
export const UNMEASURED_CHEAP_ACTIONS = 500;

export class SnapshotWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private stopped = false;

  private readonly store: DocStore;
  private readonly log: AgencyLog;
  private readonly now: () => number;
  /** Snapshots written along with an own action (tests and the bench count them). */
  withOwn = 0;

  constructor(store: DocStore, log: AgencyLog, now: () => number = Date.now) {
    this.store = store;
    this.log = log;
    this.now = now;
  }

  /** How long the last snapshot write took to produce and clone (ms); undefined before the first. */
  get lastCostMs(): number | undefined {
    return this.store.stats.metaMs.get(SNAPSHOT_KEY);
  }

  /**
   * One of the member's own actions was appended and is about to be written: the snapshot goes with it when
   * its last write was cheap. Before a write in this worker measured it, the log's size stands in (a
   * 200-action agency's takes ~2 ms, a 10k-action one's ~100 ms: test/bench/snapshot.bench.ts).
   * Returns whether it does (when not, the caller schedules it as for any change).
   */
  ownAction(): boolean {
    const cost = this.lastCostMs;
    const cheap =
      cost === undefined ? this.log.size <= UNMEASURED_CHEAP_ACTIONS : cost <= OWN_ACTION_SNAPSHOT_MS;
    if (this.stopped || !cheap) return false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = true;
    this.write();
    this.withOwn++;
    return true;
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
    // When it was written: a worker showing it before the doc is read says "as of" this time.
    this.store.setMeta(SNAPSHOT_AT_KEY, () => this.now());
  }

  /** Writes what is pending and schedules nothing more (the replica closes). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.write();
  }
}
