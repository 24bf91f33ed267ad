// The overlay on Upwork's work pages (issue 11), end to end: the built extension in two Chromium profiles —
// Ana, a business manager, and Ben, an exclusive member — syncing through the real sync server, on the fake
// Upwork pages served over HTTPS at www.upwork.com's real address. One scenario, step by step (each `it`
// builds on the previous one). Screenshots are saved under test-results/e2e.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY, applyPath, JOB_KEYS, jobPath } from '../fixtures/upwork/routes.ts';
import { screenshot, screenshotOf } from './support/artifacts.ts';
import type { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency, UI_TIMEOUT } from './support/pages.ts';
import { persistedActions, type StoredEntry, waitForPersisted } from './support/replica.ts';
import { SyncServer } from './support/sync-server.ts';
import { overlayReady, upworkProfile } from './support/upwork-browser.ts';
import { UPWORK_ORIGIN, UpworkServer } from './support/upwork-server.ts';

const JOB = JOB_KEYS['exclusive-agency']; // 12 Connects, agency pre-selected, Upwork asks to confirm
const HISTORY = '/nx/plans/connects/history';
const BALANCE = '[data-testid="balance"]';

let sync: SyncServer;
let upwork: UpworkServer;
let ana: Profile;
let ben: Profile;
let anaPopup: Page;
let benPopup: Page;

const upworkUrl = (path: string): string =>
  `${UPWORK_ORIGIN}${path}${path.includes('?') ? '&' : '?'}latency=1`;

async function openOnUpwork(profile: Profile, path: string): Promise<Page> {
  const page = await profile.ctx.newPage();
  await page.goto(upworkUrl(path));
  return page;
}

const refunds = (entries: StoredEntry[]) => entries.filter((e) => e.type === 'refundConnects');

/** The overlay's element `testId` on a work page, through its open shadow root. */
const inOverlay = (page: Page, testId: string) =>
  page.locator(`agency-overlay [data-testid="${testId}"]`).first();

async function popupBalance(popup: Page, expected: string): Promise<void> {
  await popup
    .locator(BALANCE)
    .filter({ hasText: new RegExp(`^${expected}$`) })
    .waitFor({ timeout: UI_TIMEOUT });
}

describe('the overlay on the work pages, a manager and a member, one sync server', () => {
  beforeAll(async () => {
    [sync, upwork] = await Promise.all([SyncServer.start(), UpworkServer.start()]);
    // "Upwork" holds what the agency's log starts from, so the proposal form records no observation.
    upwork.agencyBalance = 300;
    [ana, ben] = await Promise.all([upworkProfile('Ana', upwork), upworkProfile('Ben', upwork)]);
  });

  afterAll(async () => {
    await Promise.allSettled([ana?.dispose(), ben?.dispose()]);
    await Promise.allSettled([sync?.dispose(), upwork?.close()]);
  });

  it('Ana creates the agency; Ben joins as an exclusive member and proposes on a job as the agency', async () => {
    const options = await ana.options();
    await createAgency(options, {
      agencyName: AGENCY.name,
      memberName: 'Ana',
      balance: 300,
      server: sync.url,
    });
    const code = await createInvite(options, { role: 'member', relationship: 'exclusive' });
    const benOptions = await ben.options();
    await joinAgency(benOptions, code, 'Ben', AGENCY.name);
    await Promise.all([options.close(), benOptions.close()]);

    const page = await openOnUpwork(ben, applyPath(JOB));
    await overlayReady(page);
    await page.getByRole('button', { name: /^Send for \d+ Connects$/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, submit' }).click();
    await page.waitForURL(/\/nx\/proposals\/\d+/);
    await page.close();
    [anaPopup, benPopup] = await Promise.all([ana.popup(), ben.popup()]);
    await Promise.all([popupBalance(anaPopup, '288'), popupBalance(benPopup, '288')]);
  });

  it('D9: a refund on the agency’s Connects history moves the agency balance once, in both popups', async () => {
    // Upwork gave the 12 Connects back: its history shows the refund and 300.
    const page = await openOnUpwork(ben, HISTORY);
    const host = page.locator('agency-overlay[data-page="connects-history"]');
    await host.waitFor({ timeout: UI_TIMEOUT });
    await inOverlay(page, 'refunds')
      .filter({ hasText: 'in the agency’s log' })
      .waitFor({ timeout: UI_TIMEOUT });
    await Promise.all([popupBalance(anaPopup, '300'), popupBalance(benPopup, '300')]);
    expect(await inOverlay(page, 'balance-difference').textContent()).toBe(
      'Upwork and the agency’s log agree.',
    );
    await screenshot(page, 'work-connects-history-ben');

    // Ana opens the same page, and Ben reloads his: the row is already in the log, so nothing more.
    const anas = await openOnUpwork(ana, HISTORY);
    await inOverlay(anas, 'refunds')
      .filter({ hasText: 'in the agency’s log' })
      .waitFor({ timeout: UI_TIMEOUT });
    await page.reload();
    await inOverlay(page, 'refunds')
      .filter({ hasText: 'in the agency’s log' })
      .waitFor({ timeout: UI_TIMEOUT });
    const [fromAna, fromBen] = await Promise.all([
      waitForPersisted(ana, (e) => refunds(e).length >= 1),
      waitForPersisted(ben, (e) => refunds(e).length >= 1),
    ]);
    for (const entries of [fromAna, fromBen]) {
      expect(refunds(entries).map((e) => e.payload)).toEqual([{ job: JOB, connects: 12, on: '2026-11-20' }]);
      // Upwork's 300 is what the log says with the refund: no observation was needed.
      expect(entries.filter((e) => e.type === 'observeBalance')).toEqual([]);
    }
    expect(await anaPopup.locator(BALANCE).textContent()).toBe('300');
    expect(await benPopup.locator(BALANCE).textContent()).toBe('300');
    await Promise.all([page.close(), anas.close()]);
  });

  it('R2: Ben sees the agency’s offer and is told to ask Ana; Ana reads that she can accept it', async () => {
    const page = await openOnUpwork(ben, '/nx/proposals/');
    await page.locator('agency-overlay[data-page="proposals"]').waitFor({ timeout: UI_TIMEOUT });
    const offer = inOverlay(page, 'offer');
    await offer.filter({ hasText: 'ask Ana.' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await offer.textContent()).toBe(
      'React Native app: offline sync for field inspections: Only a business manager accepts Northwind Pixel Works’s offers: ask Ana. Accepting needs Northwind Pixel Works’s Agency Plus membership; any acceptance fee is charged to the agency owner, Ana.',
    );
    await screenshot(page, 'work-proposals-ben');
    // His page's boost badges are recorded once each, as his, and reach Ana's browser before she opens hers
    // (the fake shows her the same rows: with the outcomes already in the log, her page records none).
    const boosts = (e: StoredEntry[]) => e.filter((x) => x.type === 'observeBoost');
    await waitForPersisted(ana, (e) => boosts(e).length === 2);

    const anas = await openOnUpwork(ana, '/nx/proposals/');
    await inOverlay(anas, 'offer')
      .filter({ hasText: 'You can accept this for Northwind Pixel Works.' })
      .waitFor({ timeout: UI_TIMEOUT });
    await screenshot(anas, 'work-proposals-ana');
    // Ben's browser recorded the offer once, as the agency's, with no rate or amount (D15); it reached Ana's.
    const offers = (e: StoredEntry[]) => e.filter((x) => x.type === 'receiveOffer');
    const entries = await waitForPersisted(ana, (e) => offers(e).length === 1);
    expect(offers(entries)[0]?.payload).toMatchObject({
      offer: '1999000000000000001',
      job: JOB,
      as: 'agency',
    });
    expect(offers(entries)[0]?.payload).not.toHaveProperty('terms');
    expect(boosts(entries).map((e) => e.payload)).toEqual(
      expect.arrayContaining([
        {
          proposal: '1999000000000000002',
          title: 'Technical SEO audit for a B2B SaaS site',
          outcome: 'outbid',
        },
        { proposal: '1999000000000000003', title: 'Migrate a WordPress blog to Astro', outcome: 'boosted' },
      ]),
    );
    expect(boosts(entries)).toHaveLength(2);
    await Promise.all([page.close(), anas.close()]);
  });

  it('R4/R5: Ana’s contracts page shows who may log time and submit milestones on Ben’s contracts', async () => {
    // Ben's own page records his contracts (no amount); Ana's page then names him.
    const page = await openOnUpwork(ben, '/nx/wm/freelancer/contracts');
    await inOverlay(page, 'contract-41000001')
      .filter({ hasText: 'Only you log time' })
      .waitFor({ timeout: UI_TIMEOUT });
    await waitForPersisted(ana, (e) => e.filter((x) => x.type === 'observeContract').length === 2);
    const anas = await openOnUpwork(ana, '/nx/wm/freelancer/contracts');
    const hourly = inOverlay(anas, 'contract-41000001');
    await hourly.filter({ hasText: 'Only Ben logs time on this contract.' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await inOverlay(anas, 'contract-41000002').textContent()).toBe(
      'Migrate a WordPress blog to Astro — Ben’s: Ben (the contracted member) or any business manager may submit milestones. Paid to Northwind Pixel Works’s account.',
    );
    await screenshot(anas, 'work-contracts-ana');
    const entries = await persistedActions(ana);
    for (const e of entries.filter((x) => x.type === 'observeContract'))
      expect(Object.keys(e.payload).sort()).toEqual(['as', 'contract', 'kind', 'title']);
    await Promise.all([page.close(), anas.close()]);
  });

  it('R5, D11: the timesheet names whose contract it is; Ben’s own hours are recorded only once Ana turns recording on', async () => {
    const TIMESHEET = '/nx/wm/workroom/41000001/timesheet';
    const hours = (entries: StoredEntry[]) => entries.filter((e) => e.type === 'recordOwnHours');
    const timesheetSays = (page: Page, text: string) =>
      inOverlay(page, 'timesheet-lines').filter({ hasText: text }).waitFor({ timeout: UI_TIMEOUT });

    // Off by default: Ben's timesheet says it is his, and records nothing.
    const off = await openOnUpwork(ben, TIMESHEET);
    await timesheetSays(off, 'Your contract: only you log time here (R5).');
    await timesheetSays(off, 'Weekly limit 40 hrs, 12:30 this week');
    await off.close();
    const benOptions = await ben.options();
    const benSetting = benOptions.getByTestId('hours-recording');
    await benSetting.filter({ hasText: 'The agency does not record members’ hours.' }).waitFor();
    expect(await benSetting.locator('input').count()).toBe(0); // a plain member reads it, cannot change it

    // Ana, a business manager, turns it on under Sync and export.
    const options = await ana.options();
    const setting = options.getByTestId('hours-recording');
    // click, not check(): the box shows the agency's state, so it turns on once the signed setting is applied
    await setting.getByRole('checkbox').click();
    await options
      .locator('#settings-result')
      .filter({ hasText: 'Members’ own hours are recorded from now on' })
      .waitFor({ timeout: UI_TIMEOUT });
    await setting.locator('input:checked').waitFor({ timeout: UI_TIMEOUT });
    await screenshotOf(options.locator('#settings'), 'work-hours-setting-ana');
    await benSetting
      .filter({ hasText: 'The agency records each member’s own hours per week' })
      .waitFor({ timeout: UI_TIMEOUT });
    await screenshotOf(benOptions.locator('#settings'), 'work-hours-setting-ben');

    // Ben's own timesheet now records his hours of this week, once; Ana's view of it records nothing.
    const on = await openOnUpwork(ben, TIMESHEET);
    await timesheetSays(on, 'Your contract');
    const [recorded] = hours(await waitForPersisted(ana, (e) => hours(e).length === 1));
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    expect(recorded!.payload).toEqual({
      contract: '41000001',
      week: monday.toISOString().slice(0, 10),
      minutes: 12 * 60 + 30,
    });
    await on.reload();
    await timesheetSays(on, 'Your contract');
    const anas = await openOnUpwork(ana, TIMESHEET);
    await timesheetSays(anas, 'Ben’s contract: only Ben can log time here (R5).');
    await screenshot(anas, 'work-timesheet-ana');
    // The agency pages show the week's hours beside Ben's contract: all contracts to Ana, his own to Ben.
    const work = options.getByTestId('work-contracts');
    await work
      .getByRole('row', { name: /Field inspections app/ })
      .filter({ hasText: /12:30 hrs in the week of/ })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await work.getByRole('row').count()).toBe(3); // a header and Ben's two contracts
    await screenshotOf(options.locator('#work'), 'work-contracts-on-upwork-ana');
    await benOptions
      .getByTestId('work-contracts')
      .getByRole('row', { name: /Field inspections app/ })
      .filter({ hasText: /12:30 hrs/ })
      .waitFor({ timeout: UI_TIMEOUT });
    await Promise.all([on.close(), anas.close(), options.close(), benOptions.close()]);
    expect(hours(await persistedActions(ana))).toHaveLength(1);
    expect(hours(await persistedActions(ben))).toHaveLength(1);
  });

  it('a member’s own Connects history records nothing; markup it does not know gets a quiet notice', async () => {
    const own = await openOnUpwork(ben, `${HISTORY}?variant=freelancer`);
    const difference = inOverlay(own, 'balance-difference');
    await difference.filter({ hasText: 'not Northwind Pixel Works’s' }).waitFor({ timeout: UI_TIMEOUT });
    await screenshot(own, 'work-connects-history-freelancer');

    const unknown = await openOnUpwork(ana, `${HISTORY}?variant=unknown`);
    const notice = inOverlay(unknown, 'unrecognised');
    await notice.waitFor({ timeout: UI_TIMEOUT });
    expect(await notice.textContent()).toContain(
      'Not found: the balance (“My balance … Connects”), the list of transactions.',
    );
    expect(await unknown.locator('agency-overlay').count()).toBe(1);
    await screenshot(unknown, 'work-connects-history-unknown');
    await Promise.all([own.close(), unknown.close()]);

    const entries = await persistedActions(ben);
    expect(refunds(entries)).toHaveLength(1);
    expect(entries.filter((e) => e.type === 'observeBalance')).toEqual([]);
  });

  it('the work pages’ script is not on the proposal form’s page load, and starts once when the app reaches a work page in place', async () => {
    const page = await ben.ctx.newPage();
    // WXT announces each content script starting with a window message naming it: the page can count them.
    await page.addInitScript(() => {
      const w = window as unknown as { __scriptsStarted: string[] };
      w.__scriptsStarted = [];
      window.addEventListener('message', (event) => {
        const name = (event.data as { contentScriptName?: unknown } | null)?.contentScriptName;
        if (typeof name === 'string') w.__scriptsStarted.push(name);
      });
    });
    const started = () =>
      page.evaluate(() => (window as unknown as { __scriptsStarted: string[] }).__scriptsStarted);
    const navigate = (path: string) =>
      page.evaluate(
        (url) =>
          (
            window as unknown as { __upworkFake: { navigate(u: string): Promise<void> } }
          ).__upworkFake.navigate(url),
        path,
      );

    await page.goto(upworkUrl(applyPath(JOB_KEYS['member-hourly'])));
    await overlayReady(page);
    expect(await started()).toEqual(['upwork']);
    await page.goto(upworkUrl(jobPath(JOB)));
    // page.goto waited for the load event: a script the manifest injects has started by then.
    await page.locator('[data-test="job-details"]').waitFor({ timeout: UI_TIMEOUT });
    expect(await started()).toEqual(['upwork']);

    await navigate('/nx/proposals/?latency=1');
    await inOverlay(page, 'offer').filter({ hasText: 'ask Ana.' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await started()).toEqual(['upwork', 'work-pages']);
    // Further in-place navigations are followed by the script already there: no second start.
    await navigate('/nx/wm/freelancer/contracts?latency=1');
    await inOverlay(page, 'contract-41000001')
      .filter({ hasText: 'Only you log time' })
      .waitFor({ timeout: UI_TIMEOUT });
    await navigate(`${jobPath(JOB)}?latency=1`);
    await navigate('/nx/proposals/?latency=1');
    await inOverlay(page, 'offer').filter({ hasText: 'ask Ana.' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('agency-overlay').count()).toBe(1);
    expect(await started()).toEqual(['upwork', 'work-pages']);
    await screenshot(page, 'work-proposals-in-app');
    await page.close();
  });
});
