// The proposal form's overlay on a page load (issue 11's regression: the work pages' script starting on every
// Upwork page slowed it 2.5×), measured with the e2e harness's own timing (form appearing → the overlay
// showing the balance, on the page's clock: test/e2e/support/upwork-browser.ts) for several builds in the same
// run: this one (.output/chrome-mv3), and each directory in OVERLAY_BASELINES (comma-separated, e.g. the
// build before a change). Each build gets its own Chromium profile and agency; page loads alternate between
// the builds round by round, so the load other work puts on the machine hits them alike.
//
//   OVERLAY_BASELINES=/tmp/before-chrome-mv3 npm run bench overlay-load      OVERLAY_ROUNDS=15
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { createAgency } from '../e2e/support/pages.ts';
import { CHROMIUM, EXTENSION_DIR, QUIET_CHROMIUM_ARGS } from '../e2e/support/paths.ts';
import { SyncServer } from '../e2e/support/sync-server.ts';
import { formToBalanceMs, markFormAppearances } from '../e2e/support/upwork-browser.ts';
import { UPWORK_ORIGIN, UpworkServer } from '../e2e/support/upwork-server.ts';
import { AGENCY, applyPath, JOB_KEYS } from '../fixtures/upwork/routes.ts';

const ROUNDS = Number(process.env.OVERLAY_ROUNDS ?? 15);
const builds = [
  { label: 'this build', dir: EXTENSION_DIR },
  ...(process.env.OVERLAY_BASELINES ?? '')
    .split(',')
    .filter(Boolean)
    .map((dir) => ({ label: dir, dir: resolve(dir) })),
];
const JOB = JOB_KEYS['exclusive-agency'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${execFileSync(CHROMIUM, ['--version']).toString().trim()}`,
);
console.log(`${ROUNDS} page loads of the proposal form per build, alternating`);

interface Run {
  label: string;
  ctx: BrowserContext;
  dir: string;
  samples: number[];
  /** Overlay detecting the form → balance shown; the agency's state arriving, after the form appeared. */
  detection: number[];
  stateAfterForm: number[];
}

const [sync, upwork] = await Promise.all([SyncServer.start(), UpworkServer.start()]);
upwork.agencyBalance = 312;
const runs: Run[] = [];
try {
  for (const build of builds) {
    const userDataDir = await mkdtemp(join(tmpdir(), 'agency-bench-overlay-'));
    const ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        `--disable-extensions-except=${build.dir}`,
        `--load-extension=${build.dir}`,
        ...QUIET_CHROMIUM_ARGS,
        ...upwork.chromiumArgs,
      ],
      viewport: { width: 1000, height: 900 },
    });
    runs.push({ label: build.label, ctx, dir: userDataDir, samples: [], detection: [], stateAfterForm: [] });
    // The same start the e2e harness marks: when Upwork's form appears in the page.
    await markFormAppearances(ctx);
    const worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
    const id = new URL(worker.url()).host;
    const options = await ctx.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    await createAgency(options, {
      agencyName: AGENCY.name,
      memberName: 'Ana',
      balance: 300,
      server: sync.url,
    });
    for (const p of ctx.pages()) await p.close();
  }
  // One page load each first, not counted: the first one in a profile also warms its caches.
  for (let round = -1; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      const page = await run.ctx.newPage();
      await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB)}?latency=1`);
      const t = await formToBalanceMs(page);
      if (round >= 0) {
        run.samples.push(t.fromDom);
        run.detection.push(t.fromDetection);
        run.stateAfterForm.push(t.stateAfterForm);
      }
      await page.close();
    }
  }
  const base = runs[runs.length - 1]!;
  console.log('form appearing → overlay showing the balance, page load:');
  for (const run of runs) {
    const m = median(run.samples);
    console.log(
      `  ${run.label}: median ${m.toFixed(1)} ms, p25 ${quantile(run.samples, 0.25).toFixed(1)}, p75 ${quantile(run.samples, 0.75).toFixed(1)} ms` +
        (run === base ? '' : ` (${(m / median(base.samples)).toFixed(2)}× ${base.label})`),
    );
    console.log(
      `    of which detecting the form → balance shown: median ${median(run.detection).toFixed(1)} ms; the agency's state arriving after the form appeared: median ${median(run.stateAfterForm).toFixed(1)} ms`,
    );
  }
} finally {
  for (const run of runs) {
    await run.ctx.close().catch(() => {});
    await rm(run.dir, { recursive: true, force: true });
  }
  await Promise.allSettled([sync.dispose(), upwork.close()]);
}
