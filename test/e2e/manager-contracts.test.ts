// Issue 11, D15 end to end: a business manager's own contracts, recorded from the manager's own Upwork contracts
// page with their rates. Three real Chromium profiles with the built extension — Ana and Carl, business
// managers, and Ben, an exclusive member — syncing through the real sync server, on the fake Upwork pages served
// over HTTPS at www.upwork.com's real address. Ana's own list (the account menu names her) records her two
// contracts with their rate and price, sealed in her background to the managers' browsers; Carl's agency pages
// show them. Ben's own list shows a price Upwork would hide from him: his browser records the contract and
// never the price, and nothing his background stored holds either figure in any encoding; his My proposals,
// with Upwork's company picker naming another account, says nothing of its offers and records nothing.
// Screenshots under test-results/e2e.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountFoundIn } from '../extension/replica/support/amount-encodings.ts';
import { AGENCY } from '../fixtures/upwork/routes.ts';
import { screenshot, screenshotOf } from './support/artifacts.ts';
import type { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency, UI_TIMEOUT } from './support/pages.ts';
import { type StoredEntry, waitForPersisted } from './support/replica.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { SyncServer } from './support/sync-server.ts';
import { upworkProfile } from './support/upwork-browser.ts';
import { UPWORK_ORIGIN, UpworkServer } from './support/upwork-server.ts';

const CONTRACTS = '/nx/wm/freelancer/contracts';
// As the fixtures show them (test/fixtures/upwork/README.md): Ana's hourly rate and fixed price, and the
// price on Ben's list. The two prices are above 2^20 cents, so every binary encoding is at least 4 bytes.
const ANA_RATE = 6_500;
const ANA_PRICE = 8_264_913;
const BEN_PRICE = 3_377_219;

let sync: SyncServer;
let upwork: UpworkServer;
let ana: Profile;
let carl: Profile;
let ben: Profile;
let carlOptions: Page;

const openOnUpwork = async (profile: Profile, path: string): Promise<Page> => {
  const page = await profile.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${path}&latency=1`);
  return page;
};

const inOverlay = (page: Page, testId: string) =>
  page.locator(`agency-overlay [data-testid="${testId}"]`).first();

const contractsIn = (entries: StoredEntry[]) => entries.filter((e) => e.type === 'observeContract');
const sealKeysIn = (entries: StoredEntry[]) => entries.filter((e) => e.type === 'publishSealKey');

describe('a business manager’s own contracts with their rates (D15), two managers and a member', () => {
  beforeAll(async () => {
    [sync, upwork] = await Promise.all([SyncServer.start(), UpworkServer.start()]);
    [ana, carl, ben] = await Promise.all([
      upworkProfile('Ana', upwork),
      upworkProfile('Carl', upwork),
      upworkProfile('Ben', upwork),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([ana?.dispose(), carl?.dispose(), ben?.dispose()]);
    await Promise.allSettled([sync?.dispose(), upwork?.close()]);
  });

  it('Ana creates the agency; Carl joins as a business manager, Ben as an exclusive member', async () => {
    const options = await ana.options();
    await createAgency(options, {
      agencyName: AGENCY.name,
      memberName: 'Ana',
      balance: 300,
      server: sync.url,
    });
    const carlCode = await createInvite(options, { role: 'manager', relationship: 'exclusive' });
    carlOptions = await carl.options();
    await joinAgency(carlOptions, carlCode, 'Carl', AGENCY.name);
    const benCode = await createInvite(options, { role: 'member', relationship: 'exclusive' });
    const benOptions = await ben.options();
    await joinAgency(benOptions, benCode, 'Ben', AGENCY.name);
    // Both managers' agency pages show Contracts and earnings, which publishes each browser's seal key.
    await carlOptions
      .getByRole('region', { name: 'Contracts and earnings' })
      .waitFor({ timeout: UI_TIMEOUT });
    await waitForPersisted(ana, (e) => sealKeysIn(e).length >= 2);
    await Promise.all([options.close(), benOptions.close()]);
  });

  it('D15: Ana’s own contracts page records her contracts with their rates, sealed; Carl’s agency pages show them', async () => {
    const page = await openOnUpwork(ana, `${CONTRACTS}?variant=own`);
    await inOverlay(page, 'contracts-whose')
      .filter({ hasText: 'Your own contracts: recorded with their rates' })
      .waitFor({ timeout: UI_TIMEOUT });
    await inOverlay(page, 'contract-42000001')
      .filter({ hasText: 'Only you log time on this contract.' })
      .waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'work-contracts-manager-own-ana');

    // What reached Carl's browser: the contracts in the clear, each rate only in an envelope.
    const entries = await waitForPersisted(carl, (e) => contractsIn(e).length === 2);
    for (const e of contractsIn(entries)) {
      expect(Object.keys(e.payload).sort()).toEqual(['as', 'contract', 'kind', 'sealed', 'title']);
      expect(e.payload).not.toHaveProperty('terms');
    }
    const seen = carlOptions.getByTestId('earnings-seen');
    await seen
      .getByRole('row', { name: /Investor pitch deck/ })
      .filter({ hasText: '$82,649.13' })
      .waitFor({ timeout: UI_TIMEOUT });
    const hourly = seen.getByRole('row', { name: /Design system audit/ });
    expect(await hourly.textContent()).toBe(`Design system auditAna$${(ANA_RATE / 100).toFixed(2)} an hour`);
    await screenshotOf(carlOptions.locator('#earnings'), 'options-manager-seen-rates-carl');
    await page.close();
  });

  it('D15: Ben’s own page records his contract without the price it shows, and his browser holds no figure', async () => {
    // First, My proposals with Upwork's company picker naming someone else: nothing said of the offers, and
    // nothing recorded (his contract, recorded after it, reaches Ana's browser with no boost before it).
    const proposals = await openOnUpwork(ben, '/nx/proposals/?variant=other');
    await inOverlay(proposals, 'proposals-whose')
      .filter({ hasText: 'names “Bluefin Collective”, neither you nor' })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await proposals.locator('agency-overlay [data-testid="offer"]').count()).toBe(0);
    await screenshot(proposals, 'work-proposals-other-account-ben');
    await proposals.close();

    const page = await openOnUpwork(ben, `${CONTRACTS}?variant=rates`);
    await inOverlay(page, 'contract-43000001')
      .filter({ hasText: 'You (the contracted member) or any business manager may submit milestones.' })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('agency-overlay [data-testid="contracts-whose"]').count()).toBe(0);
    await screenshot(page, 'work-contracts-member-rates-ben');
    const entries = await waitForPersisted(ana, (e) => contractsIn(e).length === 3);
    expect(entries.filter((e) => e.type === 'observeBoost' || e.type === 'receiveOffer')).toEqual([]);
    const his = contractsIn(entries).find((e) => e.payload.contract === '43000001');
    expect(his?.payload).toEqual({
      contract: '43000001',
      title: 'Onboarding flow redesign',
      kind: 'fixed',
      as: 'agency',
    });
    // Ben's background has Ana's contracts (her records reached it), and no figure of hers or of his own.
    await waitForPersisted(ben, (e) => contractsIn(e).length === 3);
    const leaks = (await storedBytes(ben)).flatMap((bytes) =>
      [ANA_PRICE, BEN_PRICE].flatMap((n) => amountFoundIn(bytes, n).map((how) => `${n}: ${how}`)),
    );
    expect(leaks).toEqual([]);
    // The search is not blind: Carl's page shows Ana's price in the form it looks for.
    expect(amountFoundIn(new TextEncoder().encode(await carlOptions.content()), ANA_PRICE)).toContain(
      'dollars with separators',
    );
    const benOptions = await ben.options();
    await benOptions.getByRole('heading', { level: 1, name: AGENCY.name }).waitFor({ timeout: UI_TIMEOUT });
    expect(await benOptions.getByRole('region', { name: 'Contracts and earnings' }).count()).toBe(0);
    expect(await benOptions.getByText('$82,649.13').count()).toBe(0);
    await page.close();
  });

  it('a business manager’s list with no account menu records nothing and says so', async () => {
    const page = await openOnUpwork(carl, `${CONTRACTS}?variant=`);
    await inOverlay(page, 'contracts-whose')
      .filter({ hasText: 'Upwork’s account menu was not found' })
      .waitFor({ timeout: UI_TIMEOUT });
    await screenshot(page, 'work-contracts-manager-unknown-carl');
    await page.close();
    // Carl's page recorded nothing: the log holds Ana's two and Ben's one, in Carl's browser too.
    expect(contractsIn(await waitForPersisted(carl, (e) => contractsIn(e).length === 3))).toHaveLength(3);
  });
});
