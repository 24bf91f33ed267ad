// What writing the derived snapshot with each of the member's own actions costs (extension/replica/
// snapshot-writer.ts): the snapshot write of a 10k-action agency, and "saved" latency (an own append until
// its IndexedDB transaction completed) with and without the snapshot in the same transaction. The replica
// writes it with an own action only while its last write took ≤ OWN_ACTION_SNAPSHOT_MS, else every 2 s.
// Node with fake-indexeddb (the structured clone is Node's, the transaction is fake-indexeddb's): the
// ratios say what the snapshot adds; absolute figures in Chromium are in `npm run bench storage`.
//
//   npm run bench snapshot        SNAPSHOT_ACTIONS=10000  SNAPSHOT_SAMPLES=40
import 'fake-indexeddb/auto';
import { cpus, totalmem } from 'node:os';
import * as Y from 'yjs';
import { ACTIONS_ROOT, AgencyLog, toStored } from '../../core/index.ts';
import { DocStore } from '../../extension/replica/doc-store.ts';
import { SNAPSHOT_KEY } from '../../extension/replica/local-meta.ts';
import { OWN_ACTION_SNAPSHOT_MS, SnapshotWriter } from '../../extension/replica/snapshot-writer.ts';
import { BENCH_AGENCY, benchLog } from './core/agency-log.ts';

const ACTIONS = Number(process.env.SNAPSHOT_ACTIONS ?? 10_000);
const SAMPLES = Number(process.env.SNAPSHOT_SAMPLES ?? 40);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

console.log(
  `snapshot: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
);

async function agencyOf(n: number) {
  const { actions } = await benchLog(n);
  const doc = new Y.Doc();
  const store = await DocStore.open(`snapshot-bench-${n}`, doc);
  const map = doc.getMap(ACTIONS_ROOT);
  // Written as the log writes them, in batches (the store persists them as rows).
  for (let i = 0; i < actions.length; i += 1000)
    doc.transact(() => {
      for (const a of actions.slice(i, i + 1000)) map.set(a.id, toStored(a));
    });
  await store.saved();
  const log = await AgencyLog.open(doc, BENCH_AGENCY);
  return { doc, store, log };
}

for (const n of [...new Set([200, ACTIONS])]) {
  const { doc, store, log } = await agencyOf(n);
  const costs: number[] = [];
  for (let i = 0; i < 7; i++) {
    store.setMeta(SNAPSHOT_KEY, () => log.snapshot());
    await store.saved();
    costs.push(store.stats.metaMs.get(SNAPSHOT_KEY)!);
  }
  const cost = median(costs);
  // What the replica decides from that cost for the next own action.
  const writer = new SnapshotWriter(store, log);
  const withOwn = writer.ownAction();
  writer.stop();
  await store.saved();
  const bytes = JSON.stringify(log.snapshot()).length;
  // "Saved": one small own update (an action's size), until its transaction completed; with the snapshot
  // in the same transaction, as act() does while it is cheap.
  const own = doc.getMap('bench-own');
  const saved = async (withSnapshot: boolean) => {
    const out: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      own.set(`a${i}`, new Uint8Array(300));
      if (withSnapshot) store.setMeta(SNAPSHOT_KEY, () => log.snapshot());
      await store.saved();
      out.push(performance.now() - t);
    }
    return out;
  };
  await saved(false); // warm up
  const plain = await saved(false);
  const withSnap = await saved(true);
  console.log(
    `${log.size} actions: snapshot ${(bytes / 2 ** 20).toFixed(2)} MiB of JSON, written in ${ms(cost)} (produce + clone, median of 7; min ${ms(sorted(costs)[0]!)}, max ${ms(sorted(costs)[6]!)})`,
    `\n  the last write took ${ms(costs[6]!)}, so the next own action ${withOwn ? 'carries the snapshot' : 'leaves it to the 2 s timer'} (gate ≤ ${OWN_ACTION_SNAPSHOT_MS} ms)`,
    `\n  "saved" without the snapshot: median ${ms(median(plain))}, p95 ${ms(p95(plain))}`,
    `\n  "saved" with the snapshot:    median ${ms(median(withSnap))}, p95 ${ms(p95(withSnap))}`,
    `\n  ratio with/without: median ${(median(withSnap) / median(plain)).toFixed(1)}×, p95 ${(p95(withSnap) / p95(plain)).toFixed(1)}×`,
  );
  await store.close();
  log.destroy();
  doc.destroy();
}
