// Long work in slices: a room that decodes, verifies or admits a large update gives the event loop back
// every SLICE_MS, so every other agency's messages (and the pings that keep their sockets alive) are
// handled in between (issue 8, item 12: no agency's traffic may stall another's).

/** Work a room does before it lets the event loop run other callbacks and I/O. */
export const SLICE_MS = 8;

export class Slice {
  private started = performance.now();
  private readonly ms: number;

  constructor(ms = SLICE_MS) {
    this.ms = ms;
  }

  /** Whether this slice's time is used up (check it every few items: it reads the clock). */
  get over(): boolean {
    return performance.now() - this.started >= this.ms;
  }

  /** Lets the event loop run (I/O of every other connection first), then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }

  /** Yields when the slice is used up. */
  async pace(): Promise<void> {
    if (this.over) await this.yield();
  }
}
