// One Chromium profile with the built extension loaded (toolchain: Debian's chromium driven by
// playwright-core, the unpacked extension via --load-extension). A profile keeps its user data dir, so
// closing and relaunching it is "closing and reopening the browser".
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { assertBuilt, CHROMIUM, EXTENSION_ARGS } from './paths.ts';

export class Profile {
  readonly name: string;
  readonly userDataDir: string;
  /** Chromium flags beyond the extension's own, kept for every relaunch (e.g. the fake Upwork's mapping). */
  readonly extraArgs: string[];
  context: BrowserContext | null = null;
  extensionId = '';

  private constructor(name: string, userDataDir: string, extraArgs: string[]) {
    this.name = name;
    this.userDataDir = userDataDir;
    this.extraArgs = extraArgs;
  }

  /**
   * A fresh profile: a new user data dir under the OS temp dir, nothing set up. `fontSize`: the browser's
   * default font size (chrome://settings/fonts, 16 unless the member changed it), written to the profile's
   * preferences before its first launch. `args`: more Chromium flags, for this launch and every relaunch.
   */
  static async fresh(name: string, opts: { fontSize?: number; args?: string[] } = {}): Promise<Profile> {
    assertBuilt();
    const dir = await mkdtemp(join(tmpdir(), `agency-e2e-${name.toLowerCase()}-`));
    if (opts.fontSize) {
      await mkdir(join(dir, 'Default'), { recursive: true });
      const prefs = { webkit: { webprefs: { default_font_size: opts.fontSize } } };
      await writeFile(join(dir, 'Default', 'Preferences'), JSON.stringify(prefs));
    }
    const profile = new Profile(name, dir, opts.args ?? []);
    await profile.launch();
    return profile;
  }

  async launch(): Promise<void> {
    const context = await chromium.launchPersistentContext(this.userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...EXTENSION_ARGS, ...this.extraArgs],
      viewport: { width: 1000, height: 900 },
    });
    this.context = context;
    // A relaunch keeps the id (an unpacked extension's id comes from its path); the worker may not start
    // until an event needs it, so only the first launch waits for it to learn the id.
    if (this.extensionId) return;
    const worker =
      context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    this.extensionId = new URL(worker.url()).host;
    await this.closeWelcome();
  }

  /**
   * A first install opens the agency pages by itself (background `onInstalled`). Tests open their own pages,
   * so the welcome tab is closed once it appeared: left open, it would be the page a test finds by its URL.
   */
  private async closeWelcome(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const welcome = this.ctx.pages().find((p) => p.url() === this.url('options.html'));
      if (welcome) return welcome.close();
      if (Date.now() > deadline) throw new Error(`${this.name}: the agency pages did not open on install`);
      await this.ctx.waitForEvent('page', { timeout: 250 }).catch(() => {});
    }
  }

  get ctx(): BrowserContext {
    if (!this.context) throw new Error(`${this.name}'s browser is closed`);
    return this.context;
  }

  /** The extension's background service worker, if it is running now. */
  worker(): Worker | undefined {
    return this.ctx
      .serviceWorkers()
      .find((w) => w.url().startsWith(`chrome-extension://${this.extensionId}/`));
  }

  url(path: string): string {
    return `chrome-extension://${this.extensionId}/${path}`;
  }

  /** The popup, opened as a tab at the popup's own size (headless Chromium has no toolbar to click). */
  async popup(): Promise<Page> {
    const page = await this.ctx.newPage();
    await page.setViewportSize({ width: 380, height: 900 });
    await page.goto(this.url('popup.html'));
    return page;
  }

  async options(): Promise<Page> {
    const page = await this.ctx.newPage();
    await page.goto(this.url('options.html'));
    return page;
  }

  /** Closes every page of the extension, leaving only its background: none of its UI is open. */
  async closePages(): Promise<void> {
    const mine = this.ctx
      .pages()
      .filter((p) => p.url().startsWith(`chrome-extension://${this.extensionId}/`));
    await Promise.all(mine.map((p) => p.close()));
  }

  /** Closes the browser; the user data dir stays, so `launch()` reopens the same profile. */
  async close(): Promise<void> {
    const context = this.context;
    this.context = null;
    await context?.close();
  }

  /** Closes the browser and deletes its user data dir. */
  async dispose(): Promise<void> {
    await this.close().catch(() => {});
    await rm(this.userDataDir, { recursive: true, force: true });
  }
}
