// axe-core in the page under test (issue 10): the popup, the agency pages and the overlay must have no
// violations, in the browser's light and dark modes. axe's source is evaluated through the DevTools protocol,
// which an extension page's content security policy does not apply to (a <script> tag would be refused).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe's violations on `page` (or only inside `host`, e.g. the overlay's custom element and its shadow tree),
 * each as "rule: what — where", so a failing test says what to fix.
 */
export async function axeViolations(page: Page, host?: string): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (host) => {
    type Result = {
      violations: { id: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
    };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    const context = host ? { include: [[host]] } : document;
    const result = await axe.run(context, { resultTypes: ['violations'] });
    return result.violations.map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`,
    );
  }, host);
}

/**
 * Violations in the light and then the dark colour scheme (the page follows prefers-color-scheme); `inDark`
 * runs while the page is dark (a screenshot of it).
 */
export async function axeInBothSchemes(
  page: Page,
  host?: string,
  inDark?: () => Promise<void>,
): Promise<{ light: string[]; dark: string[] }> {
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await axeViolations(page, host);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await axeViolations(page, host);
  await inDark?.();
  await page.emulateMedia({ colorScheme: 'light' });
  return { light, dark };
}
