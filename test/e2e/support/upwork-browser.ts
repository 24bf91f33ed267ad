// A profile that reaches the fake Upwork at its real address: the harness's Profile (browser.ts), launched
// with the flags that map www.upwork.com to the loopback HTTPS server. And helpers that read the overlay in
// its open shadow root from the page's own world, where the timings are taken.
import type { BrowserContext, Page } from 'playwright-core';
import { Profile } from './browser.ts';
import type { UpworkServer } from './upwork-server.ts';

/** A fresh profile in which www.upwork.com is `upwork`, on this launch and every relaunch. */
export async function upworkProfile(name: string, upwork: UpworkServer): Promise<Profile> {
  const profile = await Profile.fresh(name, { args: upwork.chromiumArgs });
  await markFormAppearances(profile.ctx);
  return profile;
}

/**
 * Every page records, in its own world, when Upwork's proposal form appears (page load or in-app render):
 * the start of "form appearing → overlay showing the balance".
 */
export async function markFormAppearances(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __formAppearedAt?: number[] };
    w.__formAppearedAt = [];
    let last: Element | null = null;
    new MutationObserver(() => {
      const form = document.querySelector('.fe-job-apply');
      if (form && form !== last) w.__formAppearedAt!.push(performance.now());
      last = form;
    }).observe(document, { childList: true, subtree: true });
  });
}

/** The overlay's host on the proposal form, once it shows the agency's state. */
export async function overlayReady(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('agency-overlay[data-state="ready"]').waitFor({ timeout });
}

/**
 * Form appearing (seen by the page's own observer) → the overlay's first render with the balance (the
 * performance.now() mark it leaves on its host), both on the page's clock.
 */
export async function formToBalanceMs(
  page: Page,
): Promise<{ fromDom: number; fromDetection: number; stateAfterForm: number }> {
  await overlayReady(page);
  return page.evaluate(() => {
    const host = document.querySelector('agency-overlay') as HTMLElement;
    const shown = Number(host.dataset.balanceShownAt);
    const seen = Number(host.dataset.formSeenAt);
    const appeared = (window as unknown as { __formAppearedAt: number[] }).__formAppearedAt;
    const before = appeared.filter((t) => t <= seen + 0.001);
    const start = before[before.length - 1] ?? seen;
    const stateAt = Number(host.dataset.stateArrivedAt);
    return {
      fromDom: shown - start,
      fromDetection: shown - seen,
      stateAfterForm: stateAt - start,
    };
  });
}

/** The overlay's text for `testId`, read through its open shadow root. */
export async function overlayText(page: Page, testId: string): Promise<string> {
  return (await page.locator(`agency-overlay [data-testid="${testId}"]`).first().textContent()) ?? '';
}

/**
 * Waits until the overlay's `testId` element holds `text`, and returns the wall-clock time (Date.now()) of the
 * mutation inside the shadow root that brought it, observed from the page's world (not the test's polling).
 */
export async function overlayShownAt(
  page: Page,
  testId: string,
  text: RegExp,
  timeout = 30_000,
): Promise<number> {
  const handle = await page.waitForFunction(
    ({ testId, source, flags }) => {
      const re = new RegExp(source, flags);
      const w = window as unknown as { __overlayShownAt?: Record<string, number> };
      const key = `${testId}|${source}`;
      w.__overlayShownAt ??= {};
      const host = document.querySelector('agency-overlay');
      const root = host?.shadowRoot;
      const holds = () => re.test(root?.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '');
      if (!root) return false;
      if (w.__overlayShownAt[key]) return w.__overlayShownAt[key];
      if (holds()) return Date.now();
      if (!(key in w.__overlayShownAt)) {
        w.__overlayShownAt[key] = 0;
        new MutationObserver((_, observer) => {
          if (holds()) {
            w.__overlayShownAt![key] = Date.now();
            observer.disconnect();
          }
        }).observe(root, { subtree: true, childList: true, characterData: true });
      }
      return false;
    },
    { testId, source: text.source, flags: text.flags },
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

/** What Upwork's form has checked in "propose as", read from the page's own model (the fake's Vue stand-in). */
export async function pageProposeAs(page: Page): Promise<{ value: string | null; changes: number }> {
  return page.evaluate(() => {
    const form = document.querySelector<HTMLElement>('.fe-job-apply');
    return {
      value: form?.dataset.proposeAs ?? null,
      changes: Number(form?.dataset.proposeAsChanges ?? 0),
    };
  });
}
