// The overlay on the fake Upwork pages in Firefox, read through its open shadow root from the page's own
// world, where the timings are taken (the same measurements as test/e2e/support/upwork-browser.ts).
import type { Page } from 'puppeteer-core';
import { UI_TIMEOUT } from './dom.ts';

/** The overlay's host on the proposal form, once it shows the agency's state. */
export async function overlayReady(page: Page, timeout = UI_TIMEOUT): Promise<void> {
  await page.waitForSelector('agency-overlay[data-state="ready"]', { timeout });
}

/** The overlay's text for `testId`. */
export async function overlayText(page: Page, testId: string): Promise<string> {
  return page.evaluate(
    (testId: string) =>
      document.querySelector('agency-overlay')?.shadowRoot?.querySelector(`[data-testid="${testId}"]`)
        ?.textContent ?? '',
    testId,
  );
}

/**
 * Waits until the overlay's `testId` element (or the job badge's, with `host`) holds `text`, and returns the
 * wall-clock time (Date.now()) of the mutation that brought it, observed in the page, not by the polling.
 */
export async function overlayShownAt(
  page: Page,
  testId: string,
  text: RegExp,
  { timeout = UI_TIMEOUT, host = 'agency-overlay' } = {},
): Promise<number> {
  const handle = await page.waitForFunction(
    (host: string, testId: string, source: string, flags: string) => {
      const re = new RegExp(source, flags);
      const w = window as unknown as { __overlayShownAt?: Record<string, number> };
      const key = `${host}|${testId}|${source}`;
      w.__overlayShownAt ??= {};
      const root = document.querySelector(host)?.shadowRoot;
      if (!root) return false;
      const holds = () => re.test(root.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '');
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
    { timeout, polling: 50 },
    host,
    testId,
    text.source,
    text.flags,
  );
  return (await handle.jsonValue()) as number;
}
