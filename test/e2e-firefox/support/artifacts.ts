// Screenshots of the Firefox run under test-results/firefox (gitignored): whole pages to look at, and the
// store's own size (1280 × 800, what the Chrome Web Store and AMO take) for the listings.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ARTIFACTS_DIR } from './paths.ts';

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** The page at 1280 × 800 from its top, as `store-<name>.png`; the page's own size is put back after. */
export async function storeScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const before = page.viewport();
  await page.setViewport({ width: 1280, height: 800 });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `store-${name}.png`) });
  if (before) await page.setViewport(before);
}
