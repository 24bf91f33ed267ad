// Sending a proposal on the fake Upwork form, and the moment of the send as the page saw it.
import type { ElementHandle, Page } from 'puppeteer-core';
import { UI_TIMEOUT } from './dom.ts';

/**
 * The moment of a send, taken in the page: a capture listener stamps the confirm click into sessionStorage,
 * which outlives the page's move to "proposal sent" (same tab, same origin). So the figure starts at the
 * member's click, not at the test's, which on a loaded machine can be hundreds of ms apart. Both functions
 * run in the page (serialized by the driver, Playwright's or puppeteer's), so they spell the key out.
 */
const SENT_AT_KEY = 'agency-e2e-sent-at';

export function stampConfirmClick(): void {
  document.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element | null)?.closest?.('[data-fake-action="modal-confirm"]')) {
        sessionStorage.setItem('agency-e2e-sent-at', String(Date.now()));
      }
    },
    true,
  );
}

export const readSentAt = (): number => Number(sessionStorage.getItem('agency-e2e-sent-at') ?? 0);

/** Reads the stamp once the page (possibly navigating) answers. */
export async function sentAtIn(evaluate: () => Promise<number>): Promise<number> {
  const deadline = Date.now() + UI_TIMEOUT;
  for (;;) {
    const at = await evaluate().catch(() => 0);
    if (at) return at;
    if (Date.now() > deadline) throw new Error(`no ${SENT_AT_KEY} stamp: the confirm click was not seen`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Clicks Upwork's Send and confirms in its dialog with real input events; returns the send's moment. */
export async function sendAndConfirm(page: Page): Promise<number> {
  const send = (await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('button')).find((b) =>
        /^Send for \d+ Connects$/.test(b.textContent?.trim() ?? ''),
      ) ?? false,
    { timeout: UI_TIMEOUT, polling: 100 },
  )) as ElementHandle<HTMLButtonElement>;
  await send.click();
  const confirm = await page.waitForSelector('[role="dialog"] [data-fake-action="modal-confirm"]', {
    timeout: UI_TIMEOUT,
  });
  await page.evaluate(stampConfirmClick);
  await confirm!.click();
  return sentAtIn(() => page.evaluate(readSentAt));
}
