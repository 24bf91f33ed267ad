// One member in two real Chromium profiles (her desktop and her laptop), and a newcomer in a third, with the
// built extension and the real sync server on loopback. Invites and browser codes are key pairs (issue 8,
// items 1–2): a browser is added with one code, the join form asks what the code needs, and an unused
// invite revoked in one browser admits nobody. One scenario, step by step; screenshots in test-results/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import {
  checkCode,
  createAgency,
  createInvite,
  joinAgency,
  makeBrowserCode,
  outcomeIn,
  shownAt,
  teamLine,
  UI_TIMEOUT,
} from './support/pages.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Acme Studio';
const BALANCE = '[data-testid="balance"]';

let server: SyncServer;
let desktop: Profile;
let laptop: Profile;
let newcomer: Profile;
let annCode = '';
let spareCode = '';
let browserCode = '';

const pageOf = (profile: Profile, path: string): Page =>
  profile.ctx.pages().find((p) => p.url().endsWith(path))!;

describe('one member, two browsers, one code', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    [desktop, laptop, newcomer] = await Promise.all([
      Profile.fresh('Desktop'),
      Profile.fresh('Laptop'),
      Profile.fresh('Newcomer'),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([desktop?.dispose(), laptop?.dispose(), newcomer?.dispose()]);
    await server?.dispose();
  });

  it('the business manager creates the agency and two invites; both are listed as unused', async () => {
    const options = await desktop.options();
    await createAgency(options, { agencyName: AGENCY, memberName: 'Olga', balance: 100, server: server.url });
    annCode = await createInvite(options, { role: 'member', relationship: 'exclusive' });
    spareCode = await createInvite(options, { role: 'manager', relationship: 'non-exclusive', days: 3 });
    expect(annCode).toMatch(/^ao2\./);
    expect(spareCode).not.toBe(annCode);
    const unused = options.getByRole('region', { name: 'Unused invites and codes' });
    await unused.getByRole('row').filter({ hasText: 'Invite (business manager, non-exclusive)' }).waitFor();
    await expect(
      unused.getByRole('row').filter({ hasText: 'Invite (member, exclusive)' }).count(),
    ).resolves.toBe(1);
  });

  it('she makes a code under "Add another browser"', async () => {
    const options = pageOf(desktop, '/options.html');
    browserCode = await makeBrowserCode(options);
    expect(browserCode).toMatch(/^ao2\./);
    const browsers = options.getByRole('region', { name: 'Browsers' });
    await expect(browsers.getByRole('list', { name: 'Your browsers' }).textContent()).resolves.toContain(
      'The browser you joined with (this browser)',
    );
    // The code stays on screen only in this page; it is listed as an unused browser code meanwhile.
    await options
      .getByRole('region', { name: 'Unused invites and codes' })
      .getByRole('row')
      .filter({ hasText: 'Browser code' })
      .waitFor({ timeout: UI_TIMEOUT });
    await browsers.scrollIntoViewIfNeeded();
    await screenshot(options, 'options-add-another-browser');
  });

  it('her laptop pastes it: the form says whose browser it adds, suggests a name, and joins as Olga', async () => {
    const options = await laptop.options();
    const step = await checkCode(options, browserCode);
    await expect(step.textContent()).resolves.toContain(
      "This code adds this browser to Olga's membership in Acme Studio",
    );
    await expect(step.getByRole('textbox', { name: 'Your name' }).count()).resolves.toBe(0);
    const label = step.getByRole('textbox', { name: /Name of this browser/ });
    await expect(label.inputValue()).resolves.toBe('Chrome on Linux');
    await screenshot(options, 'options-join-browser-code');
    await label.fill('Laptop');
    await step.getByRole('button', { name: 'Add this browser' }).click();
    await options.getByRole('heading', { level: 1, name: AGENCY }).waitFor({ timeout: UI_TIMEOUT });
    await expect(options.getByTestId('my-standing').textContent()).resolves.toContain(
      'You are Olga: business manager',
    );
    const popup = await laptop.popup();
    await teamLine(popup, 'Olga (you)')
      .filter({ hasText: 'Business manager' })
      .waitFor({ timeout: UI_TIMEOUT });
    await expect(
      popup.getByRole('list', { name: 'Team members' }).getByRole('listitem').count(),
    ).resolves.toBe(1);
    // Her first browser lists the laptop by the name it gave itself.
    const desktopList = pageOf(desktop, '/options.html').getByRole('list', { name: 'Your browsers' });
    await desktopList.getByText('Laptop', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
  });

  it('the laptop acts as Olga: a purchase reaches the desktop, and it revokes the unused manager invite', async () => {
    const options = pageOf(laptop, '/options.html');
    const desktopPopup = await desktop.popup();
    const connects = options.getByRole('region', { name: 'Connects and calendar' });
    await connects.getByLabel('Connects bought').fill('10');
    await connects.getByRole('button', { name: 'Record purchase' }).click();
    await shownAt(desktopPopup, BALANCE, /^110$/);

    const unused = options.getByRole('region', { name: 'Unused invites and codes' });
    const row = unused.getByRole('row').filter({ hasText: 'Invite (business manager, non-exclusive)' });
    await row.getByRole('button', { name: /Revoke/ }).click();
    expect(await outcomeIn(unused, 'revoked')).toMatch(
      /^Invite \(business manager, non-exclusive\) revoked — /,
    );
    // Gone from the list in both browsers once synced.
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await pageOf(desktop, '/options.html')
      .getByRole('region', { name: 'Unused invites and codes' })
      .getByRole('row')
      .filter({ hasText: 'Invite (business manager, non-exclusive)' })
      .waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await desktopPopup.close();
  });

  it('a newcomer: the revoked code admits nobody; the other asks for a name and joins', async () => {
    const options = await newcomer.options();
    await options.getByLabel(/Invite code/).fill(spareCode);
    await options.getByRole('button', { name: 'Continue' }).click();
    const refused = options.getByRole('alert').filter({ hasText: 'admits nobody' });
    await refused.waitFor({ timeout: UI_TIMEOUT });
    await expect(refused.textContent()).resolves.toBe(
      'This code admits nobody now: it was used, revoked or has expired. Ask for a new one.',
    );
    await expect(options.getByTestId('join-step').count()).resolves.toBe(0);
    await screenshot(options, 'options-join-revoked-code');

    const step = await checkCode(options, annCode);
    await expect(step.textContent()).resolves.toContain(
      'Olga invites you to Acme Studio as an exclusive member.',
    );
    await screenshot(options, 'options-join-member-invite');
    await joinAgency(options, annCode, 'Ann', AGENCY);
    const popup = await newcomer.popup();
    await teamLine(popup, 'Ann (you)')
      .filter({ hasText: 'Member · Exclusive' })
      .waitFor({ timeout: UI_TIMEOUT });
    await teamLine(popup, 'Olga').waitFor({ timeout: UI_TIMEOUT });
    await expect(popup.locator(BALANCE).textContent()).resolves.toBe('110');
  });
});
