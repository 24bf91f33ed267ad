// At a 24 px browser font (chrome://settings/fonts, what a member with poor eyesight sets), the agency pages'
// label–figure pairs keep each figure with its own label: Insights' totals, the Connects card, and the
// contracts rows of Contracts and earnings once they stack. An outside review found figures drifting under
// the next label and stacked contract cells without theirs. Also here, in real Chromium: an amount form
// says what is wrong with a bad amount under its field and keeps the typed text. Screenshots in test-results/.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { createAgency, outcomeIn, UI_TIMEOUT } from './support/pages.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { SyncServer } from './support/sync-server.ts';

let server: SyncServer;
let nadia: Profile;
let page: Page;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface PairBoxes {
  label: string;
  labelBox: Box;
  valueBox: Box;
  clipped: string[];
}

/** The label and figure boxes of every dt/dd pair in `list`, and any of them whose text overflows its box. */
const pairsOf = (list: Locator): Promise<PairBoxes[]> =>
  list.evaluate((dl) => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const clipped = (e: Element) => e.scrollWidth > e.clientWidth + 1;
    return Array.from(dl.querySelectorAll('dt')).map((dt) => {
      let dd = dt.nextElementSibling;
      while (dd && dd.tagName !== 'DD') dd = dd.nextElementSibling;
      if (!dd) throw new Error(`no figure after “${dt.textContent}”`);
      return {
        label: dt.textContent ?? '',
        labelBox: box(dt),
        valueBox: box(dd),
        clipped: [dt, dd].filter(clipped).map((e) => e.textContent ?? ''),
      };
    });
  });

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

/** Beside its label on the same line, or right under it in the same column: nowhere else. */
const withItsLabel = (p: PairBoxes) =>
  (Math.abs(p.valueBox.y - p.labelBox.y) < 2 && p.valueBox.x >= p.labelBox.x + p.labelBox.w - 0.5) ||
  (Math.abs(p.valueBox.x - p.labelBox.x) < 2 && p.valueBox.y >= p.labelBox.y + p.labelBox.h - 0.5);

function expectPairsReadable(pairs: PairBoxes[], where: string): void {
  expect(pairs.length, where).toBeGreaterThan(1);
  for (const p of pairs) {
    expect(overlap(p.labelBox, p.valueBox), `${where}: “${p.label}” overlaps its figure`).toBe(false);
    expect(withItsLabel(p), `${where}: the figure of “${p.label}” is away from its label`).toBe(true);
    expect(p.clipped, `${where}: clipped text`).toEqual([]);
  }
}

describe('a 24 px browser font: labels stay with their figures', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    nadia = await Profile.fresh('Nadia', { fontSize: 24 });
  });

  afterAll(async () => {
    await nadia?.dispose();
    await server?.dispose();
  });

  it('Insights’ totals and the Connects card keep each figure beside or under its own label', async () => {
    page = await nadia.options();
    await createAgency(page, {
      agencyName: 'Big Letters',
      memberName: 'Nadia',
      balance: 120,
      server: server.url,
    });
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('24px');
    const insights = page.getByRole('region', { name: 'Insights', exact: true });
    await insights.getByTestId('insights-balance').waitFor({ timeout: UI_TIMEOUT });
    // At the window's width and at a phone's: the number of columns differs, the pairs must not.
    for (const width of [1000, 800, 700, 360]) {
      await page.setViewportSize({ width, height: 900 });
      expectPairsReadable(await pairsOf(insights.getByTestId('insights-totals')), `Insights at ${width} px`);
      const card = page.getByRole('region', { name: 'Agency Connects' });
      expectPairsReadable(await pairsOf(card.locator('dl.facts')), `Connects card at ${width} px`);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        ),
      ).toBe(false);
      await insights.scrollIntoViewIfNeeded();
      await insights.screenshot({ path: join(ARTIFACTS_DIR, `large-text-insights-${width}px.png`) });
    }
    // The oracle is not blind: under the grid the review saw (any number of columns, three at 800 px), the
    // Connects card's second figure sits under the wrong label, and the check says so.
    await page.setViewportSize({ width: 800, height: 900 });
    const old = await page.addStyleTag({
      content: '.facts { grid-template-columns: repeat(auto-fit, minmax(min(100%, 9em), 1fr)) !important; }',
    });
    const before = await pairsOf(page.getByRole('region', { name: 'Agency Connects' }).locator('dl.facts'));
    expect(before.filter((p) => !withItsLabel(p)).map((p) => p.label)).not.toEqual([]);
    await old.evaluate((e) => (e as Element).remove());
    await page.setViewportSize({ width: 1000, height: 900 });
  });

  it('an amount form says what is wrong under its field and keeps the typed text', async () => {
    const section = page.getByRole('region', { name: 'Contracts and earnings' });
    await section.getByText('Record an offer').click();
    const offer = section.getByRole('form', { name: 'Record an offer' });
    await offer.getByLabel('Offer id').fill('offer-1');
    await offer.getByLabel('Job id').fill('~01bakery');
    await offer.getByLabel('Title').fill('A logo for a bakery in Lisbon, with a long title that must wrap');
    await offer.getByLabel('Kind').selectOption('fixed');
    const amount = offer.getByLabel('Rate or price ($)');
    await amount.fill('12,50');
    await offer.getByRole('button', { name: 'Record offer' }).click();
    const error = offer.getByRole('alert');
    await error.waitFor({ timeout: UI_TIMEOUT });
    expect(await error.textContent()).toBe(
      '“12,50” is not an amount: use digits and at most one decimal point, for example 1250.50.',
    );
    expect(await amount.inputValue()).toBe('12,50');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    await offer.screenshot({ path: join(ARTIFACTS_DIR, 'large-text-amount-error.png') });
    await amount.fill('1250.50');
    await offer.getByRole('button', { name: 'Record offer' }).click();
    expect(await outcomeIn(section, 'recorded')).toMatch(/recorded/);
    await section.getByRole('button', { name: 'Accept' }).click();
    expect(await outcomeIn(section, 'accepted')).toMatch(/accepted/);
  });

  it('the contracts rows, stacked, keep a label on every cell and clip nothing', async () => {
    const section = page.getByRole('region', { name: 'Contracts and earnings' });
    const row = section.getByTestId('earnings-contracts').getByRole('row', { name: /A logo for a bakery/ });
    await row.filter({ hasText: '$1,250.50' }).waitFor({ timeout: UI_TIMEOUT });
    for (const width of [1000, 360]) {
      await page.setViewportSize({ width, height: 900 });
      const cells = await row.locator('td').evaluateAll((tds) =>
        tds.map((td) => ({
          label: getComputedStyle(td, '::before').content,
          clipped: td.scrollWidth > td.clientWidth + 1,
          width: td.getBoundingClientRect().width,
        })),
      );
      // 50em at a 24 px font is 1200 px: the table is stacked at both widths, each cell naming its column.
      expect(cells.map((c) => c.label)).toEqual([
        '"Freelancer: "',
        '"Rate or price: "',
        '"Milestones: "',
        '"Paid: "',
      ]);
      expect(cells.filter((c) => c.clipped)).toEqual([]);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
        ),
      ).toBe(false);
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: join(ARTIFACTS_DIR, `large-text-contracts-${width}px.png`) });
    }
    await screenshot(page, 'large-text-agency-pages');
  });
});
