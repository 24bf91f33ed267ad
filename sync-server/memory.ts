// The server's memory budget (issue 8, item 11; `--max-memory`). What a connection can make the server
// hold is bounded where it arrives, before it is read whole (socket.ts): a few KB before the membership
// proof, a quarter MB per message after the catch-up; only a few connections at a time may send a
// full-size catch-up (a "large message slot" each, at most one per member), so buffered messages stay
// within a quarter of the budget. Past that, the memory the process holds is watched: V8's heap plus the
// buffers outside it (what falls again once garbage is collected; resident memory stays high long after a
// spike), and the heap against V8's own limit (which a small machine reaches first). Under pressure the
// server refuses new work (connections, agencies to load, large messages) with UNAVAILABLE, and its
// clients come back later, instead of the process dying of an out-of-memory kill.
import { getHeapStatistics } from 'node:v8';

/** 600 MiB: the server's share of a 1 GB VPS (the OS, SQLite's page cache and Node's own need the rest). */
export const DEFAULT_MAX_MEMORY = 600 * 1024 * 1024;
/** Under pressure from this share of the budget on, until memory falls back below the second. */
const PRESSED_AT = 0.85;
const RELIEVED_AT = 0.75;
/** How long a connection may hold a large-message slot waiting for its catch-up. */
export const SLOT_MS = 30_000;

export interface MemorySample {
  /** V8's heap in use plus memory held outside it (buffers). */
  heldBytes: number;
  heapUsed: number;
  /** V8's own limit for its heap. */
  heapLimit: number;
}

const sampleProcess = (): MemorySample => {
  const m = process.memoryUsage();
  return {
    heldBytes: m.heapUsed + m.external,
    heapUsed: m.heapUsed,
    heapLimit: getHeapStatistics().heap_size_limit,
  };
};

export class MemoryBudget {
  readonly maxBytes: number;
  /** Large-message slots: full-size catch-ups being received at once. */
  readonly slots: number;
  private last: MemorySample = { heldBytes: 0, heapUsed: 0, heapLimit: Number.POSITIVE_INFINITY };
  private pressed_ = false;
  private readonly holders = new Map<string, number>();
  private readonly sample: () => MemorySample;

  constructor(maxBytes: number, maxMessageBytes: number, sample: () => MemorySample = sampleProcess) {
    this.maxBytes = maxBytes;
    this.slots = Math.max(1, Math.floor(maxBytes / 4 / Math.max(1, maxMessageBytes)));
    this.sample = sample;
    this.refresh();
  }

  /** Reads what the process holds (a timer calls this every 100 ms). */
  refresh(): void {
    const m = this.sample();
    this.last = m;
    const share = Math.max(m.heldBytes / this.maxBytes, m.heapUsed / m.heapLimit);
    if (!this.pressed_ && share >= PRESSED_AT) this.pressed_ = true;
    else if (this.pressed_ && share < RELIEVED_AT) this.pressed_ = false;
  }

  /** V8's heap in use plus buffers outside it, as last read. */
  get heldBytes(): number {
    return this.last.heldBytes;
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
