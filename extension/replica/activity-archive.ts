// The whole log's activity for the agency pages' search (issue 12). The derived state a replica keeps holds
// only the latest ACTIVITY_LIMIT sentences; a search beyond them derives the log again keeping every sentence
// (core's activityLogSteps), here in the background, a slice at a time so the worker keeps answering the
// overlay meanwhile, and answers one page: the page never receives the log.
//
// The archive is kept while searches come, and dropped after `idleMs` without one (a 100k-action log's
// sentences are megabytes the worker need not hold). Actions that arrive after it was built are taken from
// the derived state's latest entries, which hold them as long as fewer than ACTIVITY_LIMIT arrived; more, and
// it is built again.
import {
  ACTIVITY_LIMIT,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityPage,
  type AgencyLog,
  activityLogSteps,
  activityPage,
  type Steps,
} from '../../core/index.ts';

export interface ArchiveOptions {
  /** Let other work run between two slices of the rebuild (default: a macrotask). */
  pause?: () => Promise<void>;
  idleMs?: number;
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** How many actions the derived state accounts for: a new one changes it. */
const sizeOf = (log: AgencyLog): number => {
  const c = log.state.counts;
  return c.applied + c.refused + c.pending;
};

export class ActivityArchive {
  private readonly log: AgencyLog;
  private readonly pause: () => Promise<void>;
  private readonly idleMs: number;
  private built: { entries: ActivityEntry[]; ids: Set<string>; size: number } | null = null;
  private building: Promise<void> | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;
  /** How many times the whole log was derived for the archive (tests read it). */
  rebuilds = 0;

  constructor(log: AgencyLog, opts: ArchiveOptions = {}) {
    this.log = log;
    this.pause = opts.pause ?? macrotask;
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** Page `page` of the entries matching `filter` in the whole log, `size` a page (core bounds it). */
  async page(filter: ActivityFilter, page: number, size: number): Promise<ActivityPage> {
    await this.log.settled();
    const state = this.log.state;
    const scoped = { ...filter, timeZone: state.timeZone };
    // A log with at most ACTIVITY_LIMIT applied actions: the derived state holds every sentence already.
    if (state.counts.applied <= ACTIVITY_LIMIT && !this.built)
      return activityPage(state.activity, scoped, page, size);
    return activityPage(await this.entries(), scoped, page, size);
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.built = null;
  }

  private async entries(): Promise<ActivityEntry[]> {
    this.touch();
    if (this.built && sizeOf(this.log) - this.built.size > ACTIVITY_LIMIT) this.built = null;
    if (!this.built) {
      this.building ??= this.build().finally(() => {
        this.building = null;
      });
      await this.building;
    }
    const built = this.built!;
    const size = sizeOf(this.log);
    if (size !== built.size) {
      // What arrived since: the state's latest entries hold it (fewer than ACTIVITY_LIMIT, checked above).
      for (const e of this.log.state.activity) {
        if (built.ids.has(e.id)) continue;
        built.ids.add(e.id);
        built.entries.push(e);
      }
      built.size = size;
    }
    return built.entries;
  }

  private async build(): Promise<void> {
    const size = sizeOf(this.log);
    const steps: Steps<ActivityEntry[]> = activityLogSteps(this.log.agencyId, this.log.ordered());
    let r = steps.next();
    while (!r.done) {
      await this.pause();
      r = steps.next();
    }
    this.rebuilds++;
    this.built = { entries: r.value, ids: new Set(r.value.map((e) => e.id)), size };
  }

  private touch(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = null;
      this.built = null;
    }, this.idleMs);
    (this.idle as { unref?: () => void }).unref?.();
  }
}
