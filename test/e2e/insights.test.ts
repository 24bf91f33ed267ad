// Issue 12 end to end: a business manager and a member in two real Chromium profiles, syncing through the
// real sync server, script a month of agency activity (proposals, a duplicate, an independent proposal, a
// purchase, a balance seen on Upwork, offers, a refund). The Insights view, the popup and the CSV export show
// the figures this test worked out by hand below — never with the extension's own code.
//
// The actions are stamped by the backgrounds' real clocks (a browser's clock cannot be moved), so they all
// fall within minutes: the view is read for "Last 30 days"; how figures split by month is checked in
// test/core/insights.test.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { axeInBothSchemes } from './support/axe.ts';
import { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency, UI_TIMEOUT } from './support/pages.ts';
import { ARTIFACTS_DIR } from './support/paths.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Northwind Digital';
let server: SyncServer;
let olga: Profile;
let bob: Profile;
let olgaPage: Page;
let bobPage: Page;
let agencyId = '';

interface Overview {
  selected: string;
  view: { me: string; state: { counts: { applied: number }; members: Record<string, { name: string }> } };
}

const overview = (page: Page): Promise<Overview> =>
  page.evaluate(async () => {
    const res = (await (
      globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
    ).chrome.runtime.sendMessage({ kind: 'overview' })) as { ok: true; value: unknown };
    return res.value as Overview;
  });

/** One action through the background, as the page's own controls send it; fails the test when refused. */
async function act(page: Page, type: string, payload: Record<string, unknown>): Promise<void> {
  const res = await page.evaluate(
    (req) =>
      (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
      ).chrome.runtime.sendMessage(req) as Promise<{ ok: boolean; message?: string }>,
    { kind: 'act', agencyId, type, payload },
  );
  expect(res, `${type}: ${res.message ?? ''}`).toMatchObject({ ok: true });
}

/** Waits until both browsers have applied `n` actions (each saw the other's). */
async function bothHold(n: number): Promise<void> {
  for (const page of [olgaPage, bobPage]) {
    await page.waitForFunction(
      async (want) => {
        const res = (await (
          globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
        ).chrome.runtime.sendMessage({ kind: 'overview' })) as {
          value: { view: { state: { counts: { applied: number } } } };
        };
        return res.value.view.state.counts.applied >= want;
      },
      n,
      { timeout: UI_TIMEOUT, polling: 100 },
    );
  }
}

const applied = async (page: Page) => (await overview(page)).view.state.counts.applied;

async function showLast30Days(page: Page): Promise<void> {
  await page
    .getByRole('region', { name: 'Insights', exact: true })
    .getByLabel('Period')
    .selectOption('days-30');
}

const cellsOf = (page: Page, table: string, member: string) =>
  page
    .getByTestId(table)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${member}`) }) })
    .getByRole('cell')
    .allTextContents();

describe('issue 12: agency insights after a month of activity by two members', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    [olga, bob] = await Promise.all([Profile.fresh('Olga'), Profile.fresh('Bob')]);
  });

  afterAll(async () => {
    await Promise.allSettled([olga?.dispose(), bob?.dispose()]);
    await server?.dispose();
  });

  it('a business manager and a non-exclusive member script their activity', async () => {
    olgaPage = await olga.options();
    await createAgency(olgaPage, {
      agencyName: AGENCY,
      memberName: 'Olga',
      balance: 200,
      server: server.url,
    });
    const code = await createInvite(olgaPage, { role: 'member', relationship: 'non-exclusive' });
    bobPage = await bob.options();
    await joinAgency(bobPage, code, 'Bob', AGENCY);
    agencyId = (await overview(olgaPage)).selected;
    const bobId = (await overview(bobPage)).view.me;
    const olgaId = (await overview(olgaPage)).view.me;
    await bothHold(await applied(bobPage));

    let n = await applied(olgaPage);
    const step = async (page: Page, type: string, payload: Record<string, unknown>) => {
      await act(page, type, payload);
      await bothHold(++n);
    };
    await step(olgaPage, 'setAllowance', { member: bobId, monthly: 30 });
    await step(olgaPage, 'submitProposal', {
      job: '~01shopify',
      title: 'Build a Shopify app',
      as: 'agency',
      connects: 16,
      boost: 4,
    });
    // Bob proposes on the same job as the agency: a duplicate (P5), 12 Connects wasted.
    await step(bobPage, 'submitProposal', {
      job: '~01shopify',
      title: 'Build a Shopify app',
      as: 'agency',
      connects: 12,
      boost: 0,
    });
    await step(bobPage, 'submitProposal', {
      job: '~02gig',
      title: 'Own gig',
      as: 'independent',
      connects: 8,
      boost: 0,
    });
    await step(bobPage, 'submitProposal', {
      job: '~03logo',
      title: 'Logo, "bold"',
      as: 'agency',
      connects: 10,
      boost: 2,
    });
    await step(olgaPage, 'recordPurchase', { connects: 50 });
    // 200 − 20 − 12 − 12 + 50 = 206 predicted; Upwork shows 204.
    await step(bobPage, 'observeBalance', { balance: 204 });
    await step(olgaPage, 'receiveOffer', {
      offer: 'offer-1',
      job: '~01shopify',
      title: 'Build a Shopify app',
      as: 'agency',
      member: olgaId,
      terms: { kind: 'fixed', amount: 0 },
    });
    await step(bobPage, 'receiveOffer', {
      offer: 'offer-2',
      job: '~02gig',
      title: 'Own gig',
      as: 'independent',
      member: bobId,
      terms: { kind: 'hourly', hourlyRate: 0 },
    });
    await step(olgaPage, 'refundConnects', { job: '~03logo', connects: 10 });
  });

  it('the business manager’s Insights view shows the figures worked out by hand, every row', async () => {
    await showLast30Days(olgaPage);
    const region = olgaPage.getByRole('region', { name: 'Insights', exact: true });
    // The agency is minutes old: the period starts at its creation, with the 200 entered then (not at a
    // balance of 0 it never had), and ends at 204 seen on Upwork + 10 refunded.
    await region.getByTestId('insights-balance').filter({ hasText: '200 Connects → 214 Connects' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    expect(await region.getByTestId('insights-spent').textContent()).toBe(
      '44 Connects, of which 6 Connects on boosts',
    );
    expect(await region.getByTestId('insights-proposals').textContent()).toBe(
      '3 as the agency, 1 independently',
    );
    expect(await region.getByTestId('insights-offers').textContent()).toBe(
      '2 offers; offer rate 33% of agency proposals',
    );
    expect(await region.getByTestId('insights-wasted').textContent()).toBe(
      '1 duplicate agency proposal: 12 Connects wasted',
    );
    expect(await region.getByTestId('insights-reserved').textContent()).toBe('30 Connects');
    // Member, spent (boosts included, as the popup counts them), of which on boosts, as the agency,
    // independently, offers, offer rate, boosted (won), duplicates.
    expect(await cellsOf(olgaPage, 'insights-members', 'Olga')).toEqual([
      '20',
      '4',
      '1',
      '0',
      '1',
      '100%',
      '1 (1)',
      '0',
    ]);
    expect(await cellsOf(olgaPage, 'insights-members', 'Bob')).toEqual([
      '24',
      '2',
      '2',
      '1',
      '1',
      '0%',
      '1 (0)',
      '1 (12 Connects wasted)',
    ]);
    const shopify = region.getByTestId('insights-jobs').locator('tr[data-job="~01shopify"]');
    expect(await shopify.locator('li.duplicate').textContent()).toMatch(
      /^Bob, .*, 12 Connects — duplicate \(P5\), wasted$/,
    );
    const chart = region.getByTestId('balance-chart');
    expect(await chart.getAttribute('aria-label')).toMatch(
      /^Agency Connects balance over the last 30 days \(since the agency began, \d{1,2} [A-Z][a-z]{2}\): from 200 Connects to 214 Connects; 44 Connects spent \(boosts included\), 50 Connects purchased, 10 Connects refunded, 1 balance seen on Upwork\. Next month's allowances will reserve 30 Connects\.$/,
    );
    await region.getByText('The balance as a table').click();
    expect(
      await olgaPage.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
      ),
    ).toBe(false);
    await region.scrollIntoViewIfNeeded();
    await screenshot(olgaPage, 'insights-manager');
    await region.screenshot({ path: join(ARTIFACTS_DIR, 'insights-manager-view.png') });
    const { light, dark } = await axeInBothSchemes(olgaPage, undefined, async () => {
      await region.screenshot({ path: join(ARTIFACTS_DIR, 'insights-manager-view-dark.png') });
    });
    expect(light, 'axe, light').toEqual([]);
    expect(dark, 'axe, dark').toEqual([]);
  });

  it('D15: the plain member sees the agency’s totals and only their own row', async () => {
    await showLast30Days(bobPage);
    const region = bobPage.getByRole('region', { name: 'Insights', exact: true });
    await region.getByTestId('insights-balance').filter({ hasText: '200 Connects → 214 Connects' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    expect(await region.getByTestId('insights-spent').textContent()).toContain('44 Connects');
    const rows = await bobPage.getByTestId('insights-members').locator('tbody tr').count();
    expect(rows).toBe(1);
    expect(await cellsOf(bobPage, 'insights-members', 'Bob')).toHaveLength(8);
    await screenshot(bobPage, 'insights-member');
    await region.screenshot({ path: join(ARTIFACTS_DIR, 'insights-member-view.png') });
  });

  it('the proposals CSV downloads and round-trips through a real CSV parser', async () => {
    const region = olgaPage.getByRole('region', { name: 'Insights', exact: true });
    const download = olgaPage.waitForEvent('download', { timeout: UI_TIMEOUT });
    await region.getByRole('button', { name: 'Proposals' }).click();
    const file = await (await download).path();
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with a byte order mark
    const rows: string[][] = parse(bytes.toString('utf8'), { bom: true });
    expect(rows[0]).toEqual([
      'date (UTC)',
      'member',
      'proposed as',
      'job',
      'title',
      'connects',
      'boost',
      'total connects',
      'duplicate',
    ]);
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['Olga', 'agency', '~01shopify', 'Build a Shopify app', '16', '4', '20', 'no'],
      ['Bob', 'agency', '~01shopify', 'Build a Shopify app', '12', '0', '12', 'yes'],
      ['Bob', 'independent', '~02gig', 'Own gig', '', '', '', ''],
      ['Bob', 'agency', '~03logo', 'Logo, "bold"', '10', '2', '12', 'no'],
    ]);
    for (const r of rows.slice(1)) expect(r[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const movements = olgaPage.waitForEvent('download', { timeout: UI_TIMEOUT });
    await region.getByRole('button', { name: 'Connects movements' }).click();
    const moved: string[][] = parse(await readFile(await (await movements).path(), 'utf8'), { bom: true });
    expect(moved.slice(1).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['balance at the start', '', '200'],
      ['agency proposal', '-20', '180'],
      ['agency proposal', '-12', '168'],
      ['agency proposal', '-12', '156'],
      ['purchase', '50', '206'],
      ['balance seen', '-2', '204'],
      ['refund', '10', '214'],
    ]);
  });

  it('the popup shows the balance sparkline and what was spent this month', async () => {
    const popup = await olga.popup();
    // The same "Connects spent" as Insights' (boosts included), under the same words.
    await popup.getByTestId('spent-this-month').filter({ hasText: 'this month: 44 Connects' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    expect(await popup.getByTestId('spent-this-month').textContent()).toBe(
      'Connects spent (boosts included) this month: 44 Connects (20 Connects by you)',
    );
    // One reserved figure (this month's allowances, P4): Bob's 30, none of it spent by him as the agency
    // beyond his 24 — 30 − 24 = 6 left.
    expect(await popup.getByText(/reserved/i).allTextContents()).toEqual([
      'Reserved for allowances this month',
    ]);
    expect(await popup.getByTestId('reserved').textContent()).toBe('6 Connects');
    // The sparkline starts at the agency's creation (200), says what it is, over which days, and now.
    expect(await popup.getByTestId('sparkline-caption').textContent()).toMatch(
      /^Balance, since the agency began, \d{1,2} [A-Z][a-z]{2}: 200 Connects → 214 Connects now$/,
    );
    // Its caption is its text for screen readers too.
    expect(
      await popup.getByRole('img', { name: /^Balance, since the agency began/ }).getAttribute('data-testid'),
    ).toBe('sparkline');
    const line = await popup.getByTestId('sparkline').locator('path.balance-line').getAttribute('d');
    // The line's first point is the creation balance, not 0: with 0 at the bottom of the 48 px box (y = 42),
    // 200 sits well above it.
    expect(Number(line?.match(/^M[\d.]+ ([\d.]+)/)?.[1])).toBeLessThan(20);
    await screenshot(popup, 'insights-popup');
    const { light, dark } = await axeInBothSchemes(popup);
    expect(light, 'axe, light').toEqual([]);
    expect(dark, 'axe, dark').toEqual([]);
    await popup.close();
  });

  it('the activity list filters by member and kind, each line a sentence', async () => {
    const section = olgaPage.getByRole('region', { name: 'Activity', exact: true });
    await section.getByLabel('Member').selectOption({ label: 'Bob' });
    await section.getByLabel('Kind').selectOption('proposals');
    await section.getByTestId('activity-count').filter({ hasText: '3 entries, page 1 of 1.' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    const lines = (await section.getByTestId('activity-list').getByRole('listitem').allTextContents()).map(
      (t) => t.replace(/\s+/g, ' '),
    );
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^Bob proposed as the agency on 'Logo, "bold"' — 12 Connects, (just now|\d+ minutes? ago)\.$/,
    );
    expect(lines[1]).toMatch(/^Bob proposed independently on 'Own gig', /);
    await section.getByLabel('Search').fill('shopify');
    await section.getByTestId('activity-count').filter({ hasText: '1 entry, page 1 of 1.' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    await screenshot(olgaPage, 'insights-activity');
    await section.screenshot({ path: join(ARTIFACTS_DIR, 'insights-activity-view.png') });
  });

  it('the activity search asks the background page by page, back to the oldest entry', async () => {
    // The whole-log reach past the latest 200 entries is tested on a 10,203-action log in
    // test/extension/replica/activity-archive.test.ts; here, the page's questions and the background's pages.
    // 25 purchases of 1 to 25 Connects, through the background as the page's own forms send them.
    const refused = await olgaPage.evaluate(
      async ({ agencyId }) => {
        const send = (m: unknown) =>
          (
            globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
          ).chrome.runtime.sendMessage(m) as Promise<{ ok: boolean; message?: string }>;
        const out: string[] = [];
        for (let i = 1; i <= 25; i++) {
          const r = await send({ kind: 'act', agencyId, type: 'recordPurchase', payload: { connects: i } });
          if (!r.ok) out.push(`${i}: ${r.message}`);
        }
        return out;
      },
      { agencyId },
    );
    expect(refused).toEqual([]);
    const section = olgaPage.getByRole('region', { name: 'Activity', exact: true });
    await section.getByLabel('Search').fill('');
    await section.getByLabel('Member').selectOption({ label: 'Olga' });
    await section.getByLabel('Kind').selectOption('connects');
    // Olga's Connects entries: the 25 purchases, the purchase of 50, the refund, Bob's allowance.
    await section.getByTestId('activity-count').filter({ hasText: '28 entries, page 1 of 2.' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    await section.getByRole('button', { name: 'Older' }).click();
    await section.getByTestId('activity-count').filter({ hasText: '28 entries, page 2 of 2.' }).waitFor({
      timeout: UI_TIMEOUT,
    });
    const oldest = await section.getByTestId('activity-list').getByRole('listitem').allTextContents();
    expect(oldest).toHaveLength(8);
    expect(oldest.at(-1)).toMatch(/^Olga gave Bob a monthly allowance of 30 Connects, /);
    await section.screenshot({ path: join(ARTIFACTS_DIR, 'insights-activity-oldest-page.png') });
  });
});
