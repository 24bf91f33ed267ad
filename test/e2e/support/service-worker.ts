// Watches the extension's background service worker through the DevTools protocol: whether Chrome stopped
// it, and stops it on demand, as Chrome does after ~30 s idle (a worker Playwright is attached to may be
// kept alive, so the test also stops it itself to exercise the cold start).
import type { CDPSession, Page } from 'playwright-core';
import type { Profile } from './browser.ts';

type Status = 'stopped' | 'starting' | 'running' | 'stopping';

export class WorkerWatch {
  readonly history: { at: number; status: Status }[] = [];
  private readonly page: Page;
  private readonly cdp: CDPSession;

  private constructor(page: Page, cdp: CDPSession) {
    this.page = page;
    this.cdp = cdp;
  }

  /** Opens a blank tab (not an extension page, so it never talks to the background) to hold the session. */
  static async attach(profile: Profile): Promise<WorkerWatch> {
    const page = await profile.ctx.newPage();
    const cdp = await profile.ctx.newCDPSession(page);
    const watch = new WorkerWatch(page, cdp);
    const origin = `chrome-extension://${profile.extensionId}/`;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) {
        if (!v.scriptURL.startsWith(origin)) continue;
        const last = watch.history.at(-1);
        if (last?.status !== v.runningStatus)
          watch.history.push({ at: Date.now(), status: v.runningStatus as Status });
      }
    });
    await cdp.send('ServiceWorker.enable');
    return watch;
  }

  get status(): Status | 'unknown' {
    return this.history.at(-1)?.status ?? 'unknown';
  }

  /** Whether the worker was stopped at some point after `since`. */
  stoppedSince(since: number): boolean {
    return this.history.some((h) => h.at >= since && h.status === 'stopped');
  }

  async stop(): Promise<void> {
    await this.cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + 10_000;
    while (this.status !== 'stopped' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => {});
    await this.page.close().catch(() => {});
  }
}
