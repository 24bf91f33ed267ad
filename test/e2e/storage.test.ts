// The replica's storage in real Chromium: an action counts as "saved" only once it survives the browser
// being closed or killed right after, with one core kept busy (ordering bugs between a commit and its signal
// show on a loaded machine). 40 trials of each in CI (a trial is one browser launch, 3–6 s here), 1,000 under
// `npm run test:soak`; every launch checks every action an earlier trial saw saved (test/bench/storage/harness.ts `lossTrials`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, busyCore, lossTrials, Profile, type Served, serve } from '../bench/storage/harness.ts';

const TRIALS = Number(process.env.STORAGE_E2E_TRIALS ?? (process.env.SOAK === '1' ? 1_000 : 40));
// A ceiling, not an expectation: a trial is one browser launch (~1 s idle, far more on a loaded machine).
const TRIALS_TIMEOUT_MS = Math.max(600_000, TRIALS * 20_000);
let served: Served;
const profiles: Profile[] = [];

async function profile(): Promise<Profile> {
  const p = await Profile.create(served);
  profiles.push(p);
  return p;
}

beforeAll(async () => {
  served = await serve(await bundlePage());
});

afterAll(async () => {
  for (const p of profiles) await p.dispose();
  await served?.close();
});

describe('replica storage in real Chromium', () => {
  for (const mode of ['close', 'crash'] as const) {
    const how = mode === 'close' ? 'the browser is closed' : 'the browser process is killed (SIGKILL)';
    it(
      `loses no action after "saved" when ${how} right after, under CPU load (${TRIALS} trials)`,
      async () => {
        const p = await profile();
        const stopBusy = busyCore();
        const t0 = Date.now();
        try {
          // As the replica stores: DocStore with its record outside IndexedDB (replica/keep.ts).
          const result = await lossTrials(p, 'kept', mode, TRIALS);
          console.log(
            `storage: ${mode} right after "saved": lost ${result.lost} of ${result.trials} trials, database found empty after ${result.wiped.length}, LevelDB log left with a record torn and written over after ${result.tornInside.length}, with its last record torn after ${result.tornTail.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          );
          if (result.keepUnreadable.length)
            console.log(
              `storage: chrome.storage.local unreadable after ${JSON.stringify(result.keepUnreadable)}`,
            );
          const { wiped, tornInside, tornTail, keepUnreadable: _, ...losses } = result;
          expect(losses).toEqual({ trials: TRIALS, lost: 0, lostActions: [] });
          if (mode === 'close') {
            // A clean close tears nothing and never empties the database.
            expect({ wiped, tornInside, tornTail }).toEqual({ wiped: [], tornInside: [], tornTail: [] });
          } else {
            // After a SIGKILL, Chromium 156 here sometimes discards the whole database (5 trials in 400).
            // The cause, established from its logs ("Failed to open LevelDB database … Corruption: checksum
            // mismatch", then "IndexedDB recovering from a corrupted (and deleted) database"): a kill between
            // the two writes of one LevelDB log record leaves a header without its payload; the next launch
            // reads that as the log's end, and with `reuse_logs` appends after it; the launch after that reads
            // the header's length over the new records and fails (google/leveldb#1287). So the database is
            // found empty after exactly the trials whose killed browser left such a log, no other: a wipe for
            // any other reason fails here. The product recovers from it: a wiped trial's own saved actions
            // (never acknowledged) must come back from the record kept in chrome.storage.local, and any that
            // do not count in `lost` above; earlier trials' actions were acknowledged by the test playing
            // the server, which sends them back to a real replica.
            expect(wiped).toEqual(tornInside);
            // Each of those logs was torn at its end by an earlier kill.
            for (const i of tornInside) expect(tornTail.some((j) => j < i)).toBe(true);
          }
        } finally {
          stopBusy();
        }
      },
      TRIALS_TIMEOUT_MS,
    );
  }

  it('a trial whose IndexedDB the test deletes after the kill gets its saved actions back from the keep', async () => {
    const p = await profile();
    const result = await lossTrials(p, 'kept', 'crash', 6, { discard: (i) => i === 2 || i === 4 });
    console.log(
      `storage: deleted IndexedDB after trials 2 and 4: database found empty after ${result.wiped.join(', ')}`,
    );
    // Found empty after exactly those two and any the browser discarded itself (a torn log), nothing lost.
    expect(result.wiped).toEqual([...new Set([2, 4, ...result.tornInside])].sort((a, b) => a - b));
    expect(result).toMatchObject({ trials: 6, lost: 0, lostActions: [] });
  }, 600_000); // six browser launches: ~2 minutes on a loaded 2-core machine

  it('y-indexeddb#31: opening a stored doc with no edits writes nothing, where stock adds a row each time', async () => {
    const p = await profile();
    await p.launch();
    for (const kind of ['docstore', 'stock'] as const) await p.run('seed', kind, `seed-${kind}`, 2_000);
    const ours = [
      await p.run('open', 'docstore', 'seed-docstore'),
      await p.run('open', 'docstore', 'seed-docstore'),
    ];
    const stock = [await p.run('open', 'stock', 'seed-stock'), await p.run('open', 'stock', 'seed-stock')];
    for (const o of [...ours, ...stock]) expect(o.size).toBe(2_000);
    expect(ours.map((o) => o.rowsAfter - o.rowsBefore)).toEqual([0, 0]);
    expect(stock.map((o) => o.rowsAfter - o.rowsBefore)).toEqual([1, 1]);
    const burst = await p.run('appendBurst', 'docstore', 'burst', 1_000);
    console.log(
      `storage: 1,000 appends saved in ${burst.ms.toFixed(0)} ms; open of 2,000: ${ours[1]!.ms.toFixed(0)} ms`,
    );
    await p.close();
  });
});
