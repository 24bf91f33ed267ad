// Why does Chromium sometimes come back from a SIGKILL with the extension's IndexedDB empty? Runs the crash
// trials of test/e2e/storage.test.ts (one core kept busy) with Chromium's logging on, and keeps the evidence of
// each trial after which the database was found empty: the profile's IndexedDB folder as the killed browser
// left it (copied before the relaunch), its LevelDB LOG files, the quota database, and the log of the launch
// that killed it and of the launch that found it empty.
//
//   node test/bench/storage/wipe-evidence.ts [trials] [out-dir]
import { cp, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { bundlePage, busyCore, lossTrials, Profile, serve } from './harness.ts';

const trials = Number(process.argv[2] ?? 200);
const out = process.argv[3] ?? join(process.cwd(), 'test-results', 'wipe-evidence');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

async function listing(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const s = await stat(p).catch(() => null);
        if (s) lines.push(`${s.mtime.toISOString()} ${String(s.size).padStart(9)} ${relative(dir, p)}`);
      }
    }
  };
  await walk(dir);
  return lines.sort().join('\n');
}

const served = await serve(await bundlePage());
const profile = await Profile.create(served);
let launch = 0;
const logOf = (n: number) => join(out, `launch-${n}.log`);
profile.launchArgs = () => {
  launch++;
  return [
    '--enable-logging',
    `--log-file=${logOf(launch)}`,
    '--v=0',
    '--vmodule=*indexed_db*=3,*leveldb*=3,*quota*=2,*bucket*=2,*storage_partition*=2',
  ];
};
const stopBusy = busyCore();
const wipedAt: number[] = [];
const t0 = Date.now();
try {
  const result = await lossTrials(profile, 'kept', 'crash', trials, {
    afterStop: async (i) => {
      const snap = join(out, 'last-stop');
      await rm(snap, { recursive: true, force: true });
      await mkdir(snap, { recursive: true });
      for (const part of ['IndexedDB', 'WebStorage', 'Local Extension Settings']) {
        await cp(join(profile.dir, 'Default', part), join(snap, part), { recursive: true }).catch(() => {});
      }
      await writeFile(join(snap, 'profile-listing.txt'), await listing(profile.dir));
      await writeFile(join(snap, 'trial.txt'), `trial ${i}, stopped after launch ${launch}\n`);
    },
    onTrial: async (i, lost, wiped) => {
      // The launch that was killed is `launch - 1` (the one that checked is `launch`).
      if (wiped) {
        wipedAt.push(i);
        const dir = join(out, `wiped-${i}`);
        await rename(join(out, 'last-stop'), join(dir));
        await writeFile(join(dir, 'after-relaunch-listing.txt'), await listing(profile.dir));
        await cp(join(profile.dir, 'Default', 'IndexedDB'), join(dir, 'IndexedDB-after-relaunch'), {
          recursive: true,
        }).catch(() => {});
        await cp(logOf(launch - 1), join(dir, 'killed-launch.log')).catch(() => {});
        await cp(logOf(launch), join(dir, 'relaunch.log')).catch(() => {});
      }
      // Keep only the logs of the current launch and the one before (the wiped ones are copied above).
      await rm(logOf(launch - 2), { force: true });
      console.log(
        `trial ${i}: ${wiped ? 'WIPED' : 'ok'} lost ${lost} (${((Date.now() - t0) / 1000).toFixed(0)} s, wiped so far ${wipedAt.length})`,
      );
    },
  });
  console.log(JSON.stringify({ ...result, seconds: (Date.now() - t0) / 1000 }));
} finally {
  stopBusy();
  await profile.dispose();
  await served.close();
}
