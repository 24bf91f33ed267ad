// Long work in slices: a room that decodes, verifies or admits a large update gives the event loop back
// every SLICE_MS, so every other agency's messages (and the pings that keep their sockets alive) are
// handled in between (issue 8, item 12: no agency's traffic may stall another's).
//
// The slices that gave way wait in one queue for the whole process, one lane per agency, and each turn of
// the event loop resumes one of them, the lanes in turn. A message of an agency with no long work then waits
// behind one slice, however many agencies (or hostile members of one) keep the server busy: with one
// setImmediate per slice instead, every waiting slice ran in each turn, N of them before the next read.
// An agency's lane holds all its long work (its catch-ups verified beside its room's admissions): a member
// who sends many gets no more of the process than an agency with one.

/** Work a room does before it lets the event loop run other callbacks and I/O. */
export const SLICE_MS = 8;

/** Slices waiting for their turn, by lane; a Map keeps insertion order, so lanes take turns. */
const waiting = new Map<string, (() => void)[]>();
let scheduled = false;

function resumeOne(): void {
  scheduled = false;
  const next = waiting.entries().next();
  if (next.done) return;
  const [lane, queue] = next.value;
  const resume = queue.shift()!;
  waiting.delete(lane);
  if (queue.length) waiting.set(lane, queue); // to the back: the other lanes go first
  if (waiting.size) schedule();
  resume();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeOne);
}

/** How many slices wait for a turn (tests, metrics). */
export const slicesWaiting = (): number => {
  let n = 0;
  for (const q of waiting.values()) n += q.length;
  return n;
};

export class Slice {
  private started = performance.now();
  private readonly ms: number;
  private readonly lane: string;

  /** `lane`: whose work this is (an agency's id): lanes take turns. */
  constructor(lane: string, ms = SLICE_MS) {
    this.lane = lane;
    this.ms = ms;
  }

  /** Whether this slice's time is used up (check it every few items: it reads the clock). */
  get over(): boolean {
    return performance.now() - this.started >= this.ms;
  }

  /** Lets the event loop run (I/O of every other connection first, other lanes' slices), then starts a new slice. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => {
      let queue = waiting.get(this.lane);
      if (!queue) {
        queue = [];
        waiting.set(this.lane, queue);
      }
      queue.push(resolve);
      schedule();
    });
    this.started = performance.now();
  }

  /** Yields when the slice is used up. */
  async pace(): Promise<void> {
    if (this.over) await this.yield();
  }
}
