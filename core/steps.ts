// Long pure work as a generator that yields between slices of it. A server holding many agencies must not
// run one agency's derive of 35k actions as a single task of a few hundred milliseconds (issue 8, item 12:
// no agency's traffic may stall another's), and core knows no clock: each `yield` is a point where the caller
// may let other work run, and the caller decides when to resume (the sync server: when its time slice is
// used up). Run to the end at once, the steps cost what the plain loops cost.

/** Work that yields now and then, and returns a `T` at the end. */
export type Steps<T> = Generator<void, T, void>;

/** Actions handled between two yields: a few milliseconds of derive at most on a loaded machine. */
export const STEP = 1024;

/** Runs `steps` to the end, at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
