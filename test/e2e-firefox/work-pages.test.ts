// The work pages' overlay in Firefox (issue 11), from the store zip: Ana, a business manager, and Ben, an
// exclusive member, each in a Firefox profile, syncing through the real sync server, on the fake Upwork
// pages at www.upwork.com's real address. Ben reaches My proposals in place, from a job page (no page load:
// the background starts the work pages' script with scripting.executeScript, which Firefox has in
// Manifest V2 too), and is told to ask Ana about the agency's offer; the contracts pages of both show the R4
// and R5 lines. One scenario, step by step. Screenshots land in test-results/firefox.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncServer } from '../e2e/support/sync-server.ts';
import { UPWORK_ORIGIN, UpworkServer } from '../e2e/support/upwork-server.ts';
import { AGENCY, JOB_KEYS, jobPath } from '../fixtures/upwork/routes.ts';
import { createAgency, createInvite, joinAgency } from './support/agency-pages.ts';
import { screenshot } from './support/artifacts.ts';
import { UI_TIMEOUT, waitForText } from './support/dom.ts';
import { FirefoxProfile } from './support/firefox.ts';
import { overlayShownAt, overlayText } from './support/overlay.ts';

let sync: SyncServer;
let upwork: UpworkServer;
let ana: FirefoxProfile;
let ben: FirefoxProfile;
let anaPages: Page;
let benPages: Page;

/** A fake Upwork URL on the fake's port (Firefox maps the host to loopback, not the port). */
const upworkUrl = (path: string): string => `${UPWORK_ORIGIN}:${upwork.port}${path}?latency=1`;

/** Navigates Upwork's (fake) app in place: pushState and a new #app, no page load. */
const navigateInApp = (page: Page, path: string): Promise<void> =>
  page.evaluate(
    (url: string) =>
      (window as unknown as { __upworkFake: { navigate(u: string): Promise<void> } }).__upworkFake.navigate(
        url,
      ),
    `${path}?latency=1`,
  );

/** The text of the overlay element `testId` on a work page. */
const workText = (page: Page, testId: string): Promise<string> => overlayText(page, testId);

describe('Firefox: the work pages, a manager and an exclusive member', () => {
  beforeAll(async () => {
    [sync, upwork] = await Promise.all([SyncServer.start(), UpworkServer.start()]);
    upwork.agencyBalance = 300;
    const [a, b] = await Promise.all([FirefoxProfile.fresh('Ana'), FirefoxProfile.fresh('Ben')]);
    ({ profile: ana, welcome: anaPages } = a);
    ({ profile: ben, welcome: benPages } = b);
  });

  afterAll(async () => {
    await Promise.allSettled([ana?.dispose(), ben?.dispose()]);
    await Promise.allSettled([sync?.dispose(), upwork?.close()]);
  });

  it('Ana creates the agency; Ben joins as an exclusive member', async () => {
    await waitForText(anaPages, 'h2', 'Create an agency');
    await createAgency(anaPages, {
      agencyName: AGENCY.name,
      memberName: 'Ana',
      balance: 300,
      server: sync.url,
    });
    const code = await createInvite(anaPages, { role: 'member', relationship: 'exclusive' });
    await joinAgency(benPages, code, 'Ben', AGENCY.name);
    // Ana is in Ben's replica before he reads the offer that names her.
    await waitForText(benPages, '[data-testid="my-standing"]', 'exclusive');
  });

  it('R2: Ben reaches My proposals in place from a job page, sees the agency’s offer and is told to ask Ana', async () => {
    const page = await ben.openWeb(upworkUrl(jobPath(JOB_KEYS['exclusive-agency'])));
    await page.waitForSelector('[data-test="job-details"]', { timeout: UI_TIMEOUT });
    // A job page's load does not inject the work pages' script.
    expect(await page.$('agency-overlay[data-page]')).toBeNull();
    await navigateInApp(page, '/nx/proposals/');
    await page.waitForSelector('agency-overlay[data-page="proposals"]', { timeout: UI_TIMEOUT });
    await overlayShownAt(page, 'offer', /ask Ana\./);
    expect(await workText(page, 'offer')).toBe(
      'React Native app: offline sync for field inspections: Only a business manager accepts Northwind Pixel Works’s offers: ask Ana. Accepting needs Northwind Pixel Works’s Agency Plus membership; any acceptance fee is charged to the agency owner, Ana.',
    );
    await screenshot(page, 'work-proposals-ben');

    const anas = await ana.openWeb(upworkUrl('/nx/proposals/'));
    await overlayShownAt(anas, 'offer', /You can accept this for Northwind Pixel Works\./);
    await screenshot(anas, 'work-proposals-ana');
    await Promise.all([page.close(), anas.close()]);
  });

  it('R4/R5: the contracts page tells Ben he alone logs time, and tells Ana who logs time and who submits milestones on Ben’s contracts', async () => {
    const page = await ben.openWeb(upworkUrl('/nx/wm/freelancer/contracts'));
    await overlayShownAt(page, 'contract-41000001', /Only you log time/);
    await screenshot(page, 'work-contracts-ben');

    // Ben's page recorded his two contracts (no amount); once they reached Ana's browser her page names him.
    const anas = await ana.openWeb(upworkUrl('/nx/wm/freelancer/contracts'));
    await overlayShownAt(anas, 'contract-41000001', /Only Ben logs time on this contract\./);
    await overlayShownAt(anas, 'contract-41000002', /Ben’s/);
    expect(await workText(anas, 'contract-41000002')).toBe(
      'Migrate a WordPress blog to Astro — Ben’s: Ben (the contracted member) or any business manager may submit milestones. Paid to Northwind Pixel Works’s account.',
    );
    await screenshot(anas, 'work-contracts-ana');
    await Promise.all([page.close(), anas.close()]);
  });
});
