// D8 end to end (an outside review's take-over): Ben's contracts page records his contracts; Mallory, a member
// signing by hand (a test client on the real sync server), records Ben's hourly contract on the same past as
// Ben's record, stamped 1 ms after it. Ana's contracts page (the built extension in real Chromium) then says
// the contract is disputed and a business manager decides — never "Only Mallory logs time" — and Ana decides
// on the agency pages that it is Ben's. Screenshots under test-results/e2e.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, fromBase64Url, importInviteKey } from '../../core/index.ts';
import { parseInviteCode } from '../../core/protocol.ts';
import { joinWith, type TestClient } from '../sync-server/support/client.ts';
import { RawClient } from '../sync-server/support/raw.ts';
import { signed } from '../sync-server/support/updates.ts';
import { until } from '../sync-server/support/wait.ts';
import { screenshot } from './support/artifacts.ts';
import type { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency, UI_TIMEOUT } from './support/pages.ts';
import { SyncServer } from './support/sync-server.ts';
import { upworkProfile } from './support/upwork-browser.ts';
import { UPWORK_ORIGIN, UpworkServer } from './support/upwork-server.ts';

const CONTRACTS = '/nx/wm/freelancer/contracts';
const HOURLY = '41000001'; // "Field inspections app (React Native)" on the fake contracts page

let sync: SyncServer;
let upwork: UpworkServer;
let ana: Profile;
let ben: Profile;
let mallory: TestClient | null = null;
let raw: RawClient | null = null;

const inOverlay = (page: Page, testId: string) =>
  page.locator(`agency-overlay [data-testid="${testId}"]`).first();

async function contractsPage(profile: Profile): Promise<Page> {
  const page = await profile.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${CONTRACTS}?latency=1`);
  return page;
}

describe('a contract recorded at the same time by two members, end to end', () => {
  beforeAll(async () => {
    [sync, upwork] = await Promise.all([SyncServer.start(), UpworkServer.start()]);
    upwork.agencyBalance = 300;
    [ana, ben] = await Promise.all([upworkProfile('Ana', upwork), upworkProfile('Ben', upwork)]);
  });

  afterAll(async () => {
    raw?.close();
    mallory?.destroy();
    await Promise.allSettled([ana?.dispose(), ben?.dispose()]);
    await Promise.allSettled([sync?.dispose(), upwork?.close()]);
  });

  it('D8: Mallory’s concurrent record does not take Ben’s contract; Ana reads it as disputed and decides', async () => {
    const options = await ana.options();
    await createAgency(options, {
      agencyName: 'Northwind Pixel Works',
      memberName: 'Ana',
      balance: 300,
      server: sync.url,
    });
    const benCode = await createInvite(options, { role: 'member', relationship: 'exclusive' });
    const benOptions = await ben.options();
    await joinAgency(benOptions, benCode, 'Ben', 'Northwind Pixel Works');
    await benOptions.close();
    const parsed = parseInviteCode(
      await createInvite(options, { role: 'member', relationship: 'exclusive' }),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const inviteKey = await importInviteKey(crypto.subtle, fromBase64Url(parsed.invite.key)!);
    if (!inviteKey) throw new Error('the invite key did not import');
    const agencyId = parsed.invite.agency;
    mallory = await joinWith(sync.url, agencyId, inviteKey, 'Mallory');

    // Ben's own contracts page records his contracts; Mallory sees his record of the hourly one.
    const bens = await contractsPage(ben);
    await inOverlay(bens, `contract-${HOURLY}`)
      .filter({ hasText: 'Only you log time' })
      .waitFor({ timeout: UI_TIMEOUT });
    const bensRecord = await until(
      () =>
        mallory!.log
          .ordered()
          .find(
            (a) => a.type === 'observeContract' && (a.payload as { contract: string }).contract === HOURLY,
          ),
      { timeout: UI_TIMEOUT, what: 'Ben’s record to reach Mallory' },
    );
    const hers: Action = await signed(
      agencyId,
      mallory.signer,
      'observeContract',
      { contract: HOURLY, title: 'Mine now', kind: 'hourly', as: 'agency' },
      bensRecord.deps,
      bensRecord.at + 1,
    );
    raw = await RawClient.open(sync.url, agencyId);
    expect(await raw.authenticate(mallory.signer, agencyId)).toBe('member');
    raw.sendActions([hers]);

    const disputed =
      'Field inspections app (React Native): Disputed — Ben and Mallory each recorded it as their own: a business manager decides whose it is. Paid to Northwind Pixel Works’s account.';
    const anas = await contractsPage(ana);
    const line = inOverlay(anas, `contract-${HOURLY}`);
    await line.filter({ hasText: 'Disputed' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await line.textContent()).toBe(disputed);
    await screenshot(anas, 'disputed-contract-ana');
    await inOverlay(bens, `contract-${HOURLY}`)
      .filter({ hasText: 'Disputed' })
      .waitFor({ timeout: UI_TIMEOUT });
    expect(await inOverlay(bens, `contract-${HOURLY}`).textContent()).toBe(
      disputed.replace('Ben and', 'you and'),
    );
    await screenshot(bens, 'disputed-contract-ben');

    // Ana decides on the agency pages that it is Ben's.
    const section = options.getByRole('region', { name: 'Disputed contracts' });
    await section.waitFor({ timeout: UI_TIMEOUT });
    await screenshot(options, 'disputed-contract-agency-pages');
    await section.getByRole('combobox', { name: 'Whose is it?' }).selectOption({ label: 'Ben' });
    await section.getByRole('button', { name: 'Decide' }).click();
    await line.filter({ hasText: 'Only Ben logs time' }).waitFor({ timeout: UI_TIMEOUT });
    expect(await line.textContent()).toBe(
      'Field inspections app (React Native) — Ben’s: Only Ben logs time on this contract. Paid to Northwind Pixel Works’s account.',
    );
    await screenshot(anas, 'disputed-contract-decided-ana');
    expect(raw.closed).toBeNull();
  });
});
