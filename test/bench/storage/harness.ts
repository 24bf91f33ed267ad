// Node side of the storage measurements: bundles page.ts into a tiny unpacked extension (its page has a real
// origin that stays the same across browser restarts, and chrome.storage.local, where the replica keeps its
// record outside IndexedDB: replica/keep.ts), and launches Debian's Chromium on a persistent profile so a
// "restart" or a crash keeps the profile's storage.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { rolldown } from 'rolldown';
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../../e2e/support/paths.ts';
import { scanLevelDb } from './leveldb-log.ts';
import type { Kind, StorageBench } from './page.ts';

export type { Kind };

export async function bundlePage(): Promise<string> {
  const build = await rolldown({
    input: join(import.meta.dirname, 'page.ts'),
    platform: 'browser',
    logLevel: 'silent',
  });
  const { output } = await build.generate({ format: 'iife', minify: true });
  await build.close();
  return output[0].code;
}

export interface Served {
  /** The unpacked extension whose page runs the bench. */
  extensionDir: string;
  close(): Promise<void>;
}

/** Writes the bench page as an extension (its own background only makes the extension's id findable). */
export async function serve(code: string): Promise<Served> {
  const dir = await mkdtemp(join(tmpdir(), 'storage-bench-ext-'));
  const manifest = {
    manifest_version: 3,
    name: 'storage bench',
    version: '1',
    permissions: ['storage', 'unlimitedStorage'],
    background: { service_worker: 'sw.js' },
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'sw.js'), '');
  await writeFile(join(dir, 'bench.js'), code);
  await writeFile(
    join(dir, 'bench.html'),
    '<!doctype html><meta charset="utf-8"><title>storage bench</title><script src="bench.js"></script>',
  );
  return { extensionDir: dir, close: () => rm(dir, { recursive: true, force: true }) };
}

export class Profile {
  readonly dir: string;
  context: BrowserContext | null = null;
  page: Page | null = null;
  /** More Chromium switches for each launch (wipe-evidence.ts: a log file per launch). */
  launchArgs: () => string[] = () => [];
  private readonly served: Served;
  private origin = '';

  private constructor(dir: string, served: Served) {
    this.dir = dir;
    this.served = served;
  }

  static async create(served: Served): Promise<Profile> {
    return new Profile(await mkdtemp(join(tmpdir(), 'storage-bench-')), served);
  }

  async launch(): Promise<Page> {
    const ext = this.served.extensionDir;
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        `--disable-extensions-except=${ext}`,
        `--load-extension=${ext}`,
        ...QUIET_CHROMIUM_ARGS,
        ...this.launchArgs(),
      ],
    });
    // An unpacked extension's id comes from its path: learned once, from its worker.
    if (!this.origin) {
      const worker =
        this.context.serviceWorkers()[0] ??
        (await this.context.waitForEvent('serviceworker', { timeout: 30_000 }));
      this.origin = `chrome-extension://${new URL(worker.url()).host}`;
    }
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    await page.goto(`${this.origin}/bench.html`);
    await page.waitForFunction(() => 'storageBench' in globalThis);
    this.page = page;
    return page;
  }

  /** Runs one method of the in-page API. */
  run<K extends keyof StorageBench>(
    method: K,
    ...args: Parameters<StorageBench[K]>
  ): Promise<Awaited<ReturnType<StorageBench[K]>>> {
    if (!this.page) throw new Error('profile not launched');
    return this.page.evaluate(
      ([m, a]) => {
        const api = (globalThis as unknown as { storageBench: Record<string, (...x: unknown[]) => unknown> })
          .storageBench;
        return api[m as string]!(...(a as unknown[]));
      },
      [method, args] as const,
    ) as Promise<Awaited<ReturnType<StorageBench[K]>>>;
  }

  /** A clean shutdown of the browser (what a member closing the window does). */
  async close(): Promise<void> {
    const c = this.context;
    this.context = null;
    this.page = null;
    await c?.close();
  }

  /** SIGKILL of the browser's main process: a crash, with no chance to flush anything. */
  async crash(): Promise<void> {
    const c = this.context;
    this.context = null;
    this.page = null;
    const pid = browserPid(this.dir);
    if (pid === null) throw new Error(`no browser process for ${this.dir}`);
    const closed = c ? new Promise<void>((resolve) => c.once('close', () => resolve())) : Promise.resolve();
    process.kill(pid, 'SIGKILL');
    await closed;
    await c?.close().catch(() => {});
    // The browser's children (the storage service holding IndexedDB's LevelDB lock among them) outlive it
    // for a moment. Relaunching over them races two instances on one profile, which a member restarting
    // a crashed browser never does (and a profile lock forbids): wait until they are gone.
    // Not only the processes whose command line names the profile: a zygote-forked child names only the
    // zygote's switches, so also any process with a file of the profile open (IndexedDB's LevelDB LOCK).
    const deadline = Date.now() + 30_000;
    const holders = () => [...new Set([...profilePids(this.dir), ...pidsWithFilesUnder(this.dir)])];
    while (holders().length) {
      if (Date.now() > deadline) throw new Error(`the killed browser's processes still run: ${holders()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Deletes the page's IndexedDB folder in the profile, as the browser discarding the database leaves it
   * (the browser must be closed or killed first).
   */
  async discardIndexedDb(): Promise<void> {
    if (this.context) throw new Error('close the browser before discarding its IndexedDB');
    await rm(this.indexedDbDir(), { recursive: true });
  }

  /** The LevelDB folder of the page's IndexedDB in the profile. */
  indexedDbDir(): string {
    const host = new URL(this.origin).host;
    return join(this.dir, 'Default', 'IndexedDB', `chrome-extension_${host}_0.indexeddb.leveldb`);
  }

  /**
   * How the stopped browser left the IndexedDB's logs (leveldb-log.ts): `inside`, a record torn and written
   * over (the next open fails as corrupt and Chromium deletes the database); `tail`, the last record torn.
   */
  async tornLogs(): Promise<{ inside: boolean; tail: boolean }> {
    if (this.context) throw new Error('stop the browser before reading its files');
    const scans = Object.values(await scanLevelDb(this.indexedDbDir()));
    return { inside: scans.some((s) => s.tornInside.length > 0), tail: scans.some((s) => s.tornTail) };
  }

  async dispose(): Promise<void> {
    await this.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The browser process (not a renderer or utility) whose command line names this profile. */
export function browserPid(userDataDir: string): number | null {
  return profilePids(userDataDir, true)[0] ?? null;
}

/**
 * The running processes whose command line names this profile (a zombie's is empty, so it is not one),
 * or only the browser process itself (no `--type=`).
 */
function profilePids(userDataDir: string, browserOnly = false): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmd.split('\0');
    if (
      args.some((a) => a === `--user-data-dir=${userDataDir}`) &&
      !(browserOnly && args.some((a) => a.startsWith('--type=')))
    )
      pids.push(Number(entry));
  }
  return pids;
}

/** The processes with a file under `dir` open (their /proc/<pid>/fd links point there). */
function pidsWithFilesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith(`${dir}/`)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

export interface TrialResult {
  trials: number;
  /** Actions reported saved (or, for stock, appended) by a trial and missing at a later launch. */
  lost: number;
  /** Which ones, by trial number (empty when none was lost). */
  lostActions: number[];
  /**
   * Trials after which the database was found empty: every earlier saved action gone at once and no row
   * left, the browser having discarded the whole database, not the store losing writes. Counted apart
   * (issue 13: seen after SIGKILL in Chromium 156 here); the trials go on from the empty database. With
   * `kept` (the replica's store with its record outside IndexedDB), a wiped trial's own saved actions must
   * come back from the keep, and any that do not count as lost.
   */
  wiped: number[];
  /**
   * Trials after which the stopped browser left IndexedDB's LevelDB log with a record torn and written over
   * (a kill between a record's header and its payload, then a launch that appended after it: LevelDB's
   * `reuse_logs`, google/leveldb#1287). The next open fails as corrupt and Chromium deletes the database,
   * so these are the trials `wiped` must list, no more (a wipe for another reason would be unexplained).
   */
  tornInside: number[];
  /** Trials whose kill tore the log's last record (the launch after appends behind it). */
  tornTail: number[];
  /**
   * Trials after which chrome.storage.local could not be read (the keep's store), with its error and whether
   * asking again read it. Not a loss by itself: only when IndexedDB lost a saved action too (`lost`).
   */
  keepUnreadable: { trial: number; error: string; readOnRetry: boolean }[];
}

/**
 * Durability trials on one profile. Stock y-indexeddb has no "saved" signal: each of its trials appends one
 * action, waits `delayMs`, then closes or kills the browser. Ours stream appends, each waiting for "saved",
 * and the browser is closed or killed as soon as the trial's n-th "saved" reaches the test (n from 1 to 32,
 * seeded), while later appends, their transactions and compactions are still in flight. Every launch
 * checks every action any earlier trial saw saved, not only the last: a crash that loses older rows (a
 * compaction gone wrong, a database recreated empty) counts once per action lost, and no later trial hides it.
 */
export async function lossTrials(
  profile: Profile,
  kind: Kind,
  mode: 'close' | 'crash',
  trials: number,
  opts: {
    delayMs?: () => number;
    seed?: number;
    onTrial?: (i: number, lostSoFar: number, wiped: boolean) => void | Promise<void>;
    /** Called once the browser is closed or killed (and its processes gone), before it is launched again. */
    afterStop?: (i: number) => Promise<void>;
    /** Trials after which the test deletes the IndexedDB folder itself (the browser's discard, on purpose). */
    discard?: (i: number) => boolean;
  } = {},
): Promise<TrialResult> {
  const name = `trials-${kind}-${mode}`;
  const lost = new Set<number>();
  const wiped: number[] = [];
  const tornInside: number[] = [];
  const tornTail: number[] = [];
  const keepUnreadable: TrialResult['keepUnreadable'] = [];
  let saved: [number, number][] = [];
  let seed = opts.seed ?? 13;
  const nextCount = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return 1 + (seed >>> 27);
  };
  await profile.launch();
  for (let i = 0; i < trials; i++) {
    if (kind === 'stock') {
      await profile.run('appendOne', kind, name, i, false);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs!()));
      saved.push([i, i]);
    } else {
      const from = i * 1_000;
      const want = nextCount();
      let last = -1;
      let onSaved = (_k: number) => {};
      await profile.page!.exposeFunction('reportSaved', (k: number) => onSaved(k));
      await new Promise<void>((resolve, reject) => {
        onSaved = (k) => {
          last = Math.max(last, k);
          if (k - from + 1 >= want) resolve();
        };
        // The stream never ends by itself (1,000 > 32): the browser goes away under it. An error before
        // the trial's count is reached (the store failed) fails the trial.
        profile.run('appendStream', kind, name, from, 1_000).then(
          () => reject(new Error('the stream ended before the trial')),
          (e) => {
            if (last - from + 1 < want) reject(e);
          },
        );
      });
      saved.push([from, last]);
    }
    if (mode === 'close') await profile.close();
    else await profile.crash();
    await opts.afterStop?.(i);
    const torn = await profile.tornLogs();
    if (torn.inside) tornInside.push(i);
    if (torn.tail) tornTail.push(i);
    if (opts.discard?.(i)) await profile.discardIndexedDb();
    await profile.launch();
    if (kind === 'kept') {
      // The product's open: what IndexedDB lost of the kept actions is written back first (recovery.ts).
      const r = await profile.run('recoverAndCheck', name, saved);
      const own = saved[saved.length - 1]!;
      if (r.keepError) keepUnreadable.push({ trial: i, error: r.keepError, readOnRetry: r.keepReadOnRetry });
      if (r.wiped) {
        // Every earlier trial's actions were acknowledged (below): the server sends those back, as it does to
        // a replica whose database was discarded. This trial's, never acknowledged, must be back from the keep.
        wiped.push(i);
        for (const k of r.missing) if (k >= own[0] && k <= own[1]) lost.add(k);
        saved = [own];
      } else for (const k of r.missing) lost.add(k);
      // The test plays the server: it acknowledges everything saved so far.
      await profile.run('ackAll', name);
      await opts.onTrial?.(i, lost.size, r.wiped);
      continue;
    }
    const missing = await profile.run('missing', kind, name, saved);
    const savedCount = saved.reduce((n, [first, last]) => n + last - first + 1, 0);
    if (
      missing.length > 0 &&
      missing.length === savedCount &&
      (await profile.run('storedRows', kind, name)) === 0
    ) {
      wiped.push(i);
      saved = [];
    } else for (const k of missing) lost.add(k);
    await opts.onTrial?.(i, lost.size, wiped[wiped.length - 1] === i);
  }
  await profile.close();
  return {
    trials,
    lost: lost.size,
    lostActions: [...lost].sort((a, b) => a - b),
    wiped,
    tornInside,
    tornTail,
    keepUnreadable,
  };
}

/**
 * Keeps one core busy (a spinning child process) until the returned function is called: ordering bugs
 * between a commit and its signal show when the browser's threads are starved, as on a loaded machine.
 */
export function busyCore(): () => void {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return () => {
    child.kill('SIGKILL');
  };
}
