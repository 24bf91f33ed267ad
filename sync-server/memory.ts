// The server's memory budget (issue 8, item 11; `--max-memory`). What a connection can make the server
// hold is bounded where it arrives, before it is read whole (socket.ts): a few KB before the membership
// proof, a quarter MB per message after the catch-up; only a few connections at a time may send a
// full-size catch-up (a "large message slot" each, at most one per member), so buffered messages stay
// within a quarter of the budget. Past that, the process's resident memory is watched: under pressure the
// server refuses new work (connections, agencies to load, large messages) with UNAVAILABLE, and its
// clients come back later, instead of the process dying of an out-of-memory kill.

/** 600 MiB: the server's share of a 1 GB VPS (the OS, SQLite's page cache and Node's own need the rest). */
export const DEFAULT_MAX_MEMORY = 600 * 1024 * 1024;
/** Under pressure from this share of the budget on, until memory falls back below the second. */
const PRESSED_AT = 0.85;
const RELIEVED_AT = 0.75;
/** How long a connection may hold a large-message slot waiting for its catch-up. */
export const SLOT_MS = 30_000;

export class MemoryBudget {
  readonly maxBytes: number;
  /** Large-message slots: full-size catch-ups being received at once. */
  readonly slots: number;
  private rss = 0;
  private pressed_ = false;
  private readonly holders = new Map<string, number>();
  private readonly sample: () => number;

  constructor(
    maxBytes: number,
    maxMessageBytes: number,
    sample: () => number = () => process.memoryUsage.rss(),
  ) {
    this.maxBytes = maxBytes;
    this.slots = Math.max(1, Math.floor(maxBytes / 4 / Math.max(1, maxMessageBytes)));
    this.sample = sample;
    this.refresh();
  }

  /** Reads the process's resident memory (a timer calls this every 100 ms). */
  refresh(): void {
    this.rss = this.sample();
    if (!this.pressed_ && this.rss >= this.maxBytes * PRESSED_AT) this.pressed_ = true;
    else if (this.pressed_ && this.rss < this.maxBytes * RELIEVED_AT) this.pressed_ = false;
  }

  get residentBytes(): number {
    return this.rss;
  }

  /** Whether new work is refused. */
  get pressed(): boolean {
    return this.pressed_;
  }

  /** A slot to receive one full-size message for `holder` (a member or key), or false. */
  takeSlot(holder: string): boolean {
    if (this.pressed_ || this.holders.has(holder) || this.holders.size >= this.slots) return false;
    this.holders.set(holder, 1);
    return true;
  }

  releaseSlot(holder: string): void {
    this.holders.delete(holder);
  }

  get slotsTaken(): number {
    return this.holders.size;
  }
}
