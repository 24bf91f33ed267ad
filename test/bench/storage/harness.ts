// Node side of the storage measurements: bundles page.ts, serves it on 127.0.0.1:0 (IndexedDB needs a real
// origin, and the same origin across browser restarts), and launches Debian's Chromium on a persistent
// profile so a "restart" or a crash keeps the profile's IndexedDB.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { rolldown } from 'rolldown';
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../../e2e/support/paths.ts';
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
  origin: string;
  close(): Promise<void>;
}

export async function serve(code: string): Promise<Served> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>storage bench</title><script src="/bench.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export class Profile {
  readonly dir: string;
  context: BrowserContext | null = null;
  page: Page | null = null;
  private readonly origin: string;

  private constructor(dir: string, origin: string) {
    this.dir = dir;
    this.origin = origin;
  }

  static async create(origin: string): Promise<Profile> {
    return new Profile(await mkdtemp(join(tmpdir(), 'storage-bench-')), origin);
  }

  async launch(): Promise<Page> {
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: QUIET_CHROMIUM_ARGS,
    });
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    await page.goto(`${this.origin}/`);
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
  }

  async dispose(): Promise<void> {
    await this.close().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The browser process (not a renderer or utility) whose command line names this profile. */
export function browserPid(userDataDir: string): number | null {
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
      !args.some((a) => a.startsWith('--type='))
    )
      return Number(entry);
  }
  return null;
}

export interface TrialResult {
  trials: number;
  lost: number;
}

/**
 * Durability trials on one profile: each appends one action, waits for "saved" (or, for stock, which has no
 * such signal, a delay of `delayMs`), then closes or kills the browser; the next launch checks the action.
 */
export async function lossTrials(
  profile: Profile,
  kind: Kind,
  mode: 'close' | 'crash',
  trials: number,
  opts: { delayMs?: () => number; onTrial?: (i: number, lost: boolean) => void } = {},
): Promise<TrialResult> {
  const name = `trials-${kind}-${mode}`;
  let lost = 0;
  await profile.launch();
  for (let i = 0; i < trials; i++) {
    const waitSaved = kind === 'docstore';
    await profile.run('appendOne', kind, name, i, waitSaved);
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs!()));
    if (mode === 'close') await profile.close();
    else await profile.crash();
    await profile.launch();
    const present = await profile.run('has', kind, name, i);
    if (!present) lost++;
    opts.onTrial?.(i, !present);
  }
  await profile.close();
  return { trials, lost };
}
