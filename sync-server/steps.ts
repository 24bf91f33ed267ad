// Core's long work in steps (core/steps.ts: a derive, an admission that derives), run a slice at a time:
// between steps, once the slice's time is used up, the event loop serves every other agency's messages and
// the pings that keep their sockets alive. One agency's derive of its whole log (tens of thousands of
// actions, a few hundred milliseconds) is then never one task (issue 8, item 12). The room's own updates
// wait meanwhile: its intake runs one admission at a time (room.ts).
import type { Steps } from '../core/index.ts';
import type { Slice } from './slice.ts';

/** Runs `steps` to the end, giving the event loop back whenever `slice` is used up. */
export async function inSlices<T>(steps: Steps<T>, slice: Slice): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await slice.pace();
  }
}
