// Long work yields in slices (sync-server/slice.ts); the slices that gave way take turns: one per turn of the
// event loop, agencies (lanes) alternating, so a message of an agency with no long work waits behind one
// slice however many agencies, or hostile members of one, keep the server busy.
import { describe, expect, it } from 'vitest';
import { Slice, slicesWaiting } from '../../sync-server/slice.ts';

/** Counts turns of the event loop: an immediate queued from an immediate runs in the next turn. */
function turnCounter(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    turn++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turn() {
      return turn;
    },
    stop() {
      stopped = true;
    },
  };
}

describe('slices that gave way take turns', () => {
  it('one slice resumes per turn of the event loop, and two agencies alternate while both wait', async () => {
    const counter = turnCounter();
    const resumes: { lane: string; turn: number }[] = [];
    const job = async (lane: string, yields: number) => {
      const slice = new Slice(lane);
      for (let i = 0; i < yields; i++) {
        await slice.yield();
        resumes.push({ lane, turn: counter.turn });
      }
    };
    // agency a has two long jobs (say, two catch-ups of a hostile member), agency b one
    await Promise.all([job('a', 3), job('a', 3), job('b', 3)]);
    counter.stop();
    expect(resumes).toHaveLength(9);
    expect(new Set(resumes.map((r) => r.turn)).size).toBe(9);
    // b's three slices are not behind a's six: while both wait they alternate
    expect(resumes.slice(0, 6).map((r) => r.lane)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(slicesWaiting()).toBe(0);
  });

  it('a slice that is not used up does not yield', async () => {
    const slice = new Slice('c', 60_000);
    let resumed = false;
    const paced = slice.pace().then(() => {
      resumed = true;
    });
    expect(slicesWaiting()).toBe(0);
    await paced;
    expect(resumed).toBe(true);
  });
});
