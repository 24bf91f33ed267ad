// What the work-page overlay tests share: starting a page's overlay on the fake page, reading its shadow root,
// and waiting for it.
import { mountInShadowRoot } from '../../../extension/overlay/mount.ts';
import { createUrlHub } from '../../../extension/overlay/url-hub.ts';
import { startWorkPage, type WorkPageDef } from '../../../extension/overlay/work-page.ts';
import type { AgencyBackground } from './support.ts';

export function startOn<R>(
  page: WorkPageDef<R>,
  bg: AgencyBackground,
  signal: AbortSignal,
  noticeAfterMs = 8_000,
): void {
  startWorkPage({
    win: window,
    signal,
    client: bg,
    mountUi: mountInShadowRoot(),
    onUrlChange: createUrlHub().hook,
    page,
    noticeAfterMs,
  });
}

export const shadowText = (testId: string): string =>
  document.querySelector('agency-overlay')?.shadowRoot?.querySelector(`[data-testid="${testId}"]`)
    ?.textContent ?? '';

export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
