// The replica's storage in real Chromium: an action counts as "saved" only once it survives the browser
// being closed or killed right after. Fewer trials than the benchmark (test/bench/storage.bench.ts), which
// runs ≥ 100 of each and compares with stock y-indexeddb.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, lossTrials, Profile, type Served, serve } from '../bench/storage/harness.ts';

const TRIALS = Number(process.env.STORAGE_E2E_TRIALS ?? 10);
let served: Served;
const profiles: Profile[] = [];

async function profile(): Promise<Profile> {
  const p = await Profile.create(served.origin);
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
  it(`loses no action after "saved" when the browser is closed right after (${TRIALS} trials)`, async () => {
    const result = await lossTrials(await profile(), 'docstore', 'close', TRIALS);
    console.log(`storage: close right after "saved": lost ${result.lost} of ${result.trials}`);
    expect(result).toEqual({ trials: TRIALS, lost: 0 });
  });

  it(`loses no action after "saved" when the browser process is killed (SIGKILL, ${TRIALS} trials)`, async () => {
    const result = await lossTrials(await profile(), 'docstore', 'crash', TRIALS);
    console.log(`storage: SIGKILL right after "saved": lost ${result.lost} of ${result.trials}`);
    expect(result).toEqual({ trials: TRIALS, lost: 0 });
  });

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
