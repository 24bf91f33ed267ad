// The "before" screenshots of issue 10 (test-results/issue-10/<item>-before.png, beside the "after" ones that
// test/e2e/trust.test.ts takes), on a build from before the issue: build an older commit elsewhere
// (`git worktree add /tmp/before <commit> && cd /tmp/before && npx wxt build`), then run
// `EXTENSION_DIR=/tmp/before/.output/chrome-mv3 node test/e2e/before-issue-10.script.ts`. It drives that
// build's pages as they were, so it does not run against today's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { AGENCY, applyPath, JOB_KEYS } from '../fixtures/upwork/routes.ts';
import { Profile } from './support/browser.ts';
import { createAgency, createInvite, joinAgency } from './support/pages.ts';
import { CHROMIUM, EXTENSION_ARGS, ROOT } from './support/paths.ts';
import { SyncServer } from './support/sync-server.ts';
import { overlayReady, upworkProfile } from './support/upwork-browser.ts';
import { UPWORK_ORIGIN, UpworkServer } from './support/upwork-server.ts';

const OUT = join(ROOT, 'test-results/issue-10');
mkdirSync(OUT, { recursive: true });
const notes: Record<string, unknown> = {};
const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(OUT, `${name}-before.png`), fullPage: true });
  console.log('shot', name);
};
const step = async (name: string, fn: () => Promise<void>) => {
  try {
    await fn();
  } catch (e) {
    console.error('FAILED', name, e);
    notes[`${name}:error`] = String(e);
  }
};
const bodyFont = (p: Page) => p.evaluate(() => getComputedStyle(document.body).fontSize);

const sync = await SyncServer.start();
const upwork = await UpworkServer.start();
upwork.agencyBalance = 120;
const maya = await upworkProfile('Maya', upwork);
const leo = await upworkProfile('Leo', upwork);
const nadia = await Profile.fresh('Nadia');

await step('item-03', async () => {
  const fresh = await nadia.popup();
  await fresh.getByText('You are not in an agency yet.').waitFor();
  notes.popupBodyFontDefault = await bodyFont(fresh);
  await shot(fresh, 'item-03-popup-default-font');
  const options = await nadia.options();
  await options.getByRole('heading', { name: 'Create an agency' }).waitFor();
  notes.optionsBodyFontDefault = await bodyFont(options);
  await Promise.all([fresh.close(), options.close()]);
  // A profile whose browser font size is 24 (chrome://settings/fonts).
  const dir = await mkdtemp(join(tmpdir(), 'agency-before-font-'));
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({ webkit: { webprefs: { default_font_size: 24 } } }),
  );
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: EXTENSION_ARGS,
  });
  const worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const big = await ctx.newPage();
  await big.setViewportSize({ width: 380, height: 700 });
  await big.goto(`chrome-extension://${id}/popup.html`);
  await big.getByText('You are not in an agency yet.').waitFor();
  notes.popupBodyFont24 = await bodyFont(big);
  await shot(big, 'item-03-popup-font-24');
  await ctx.close();
});

await step('item-04-create-blank-name', async () => {
  const options = await nadia.options();
  await options.getByLabel('Agency name').fill('   ');
  await options.getByRole('textbox', { name: 'Your name' }).first().fill('Nadia');
  await options.getByLabel(/Agency Connects balance/).fill('10');
  await options.getByRole('button', { name: 'Create the agency' }).click();
  await options.getByRole('alert').first().waitFor();
  notes.blankName = await options.getByRole('alert').first().textContent();
  await shot(options, 'item-04-create-blank-name');
  await options.getByLabel(/Invite code/).fill('ao2.garbage');
  await options.getByRole('button', { name: 'Continue' }).click();
  await options
    .getByText(/damaged|not an invite|Refused/)
    .last()
    .waitFor();
  notes.damagedCode = await options.locator('.result.refused').last().textContent();
  await shot(options, 'item-04-damaged-code');
  await options.close();
});

let unreachableCode = '';
await step('item-02-create-unreachable', async () => {
  const options = await nadia.options();
  const t0 = Date.now();
  await createAgency(options, {
    agencyName: 'NorthwindDigitalTransformationConsultancyInternational',
    memberName: 'Nadia',
    balance: 50,
    server: 'wss://no-such-host.invalid',
  });
  notes.createUnreachableMs = Date.now() - t0;
  await options.getByTestId('sync-status').first().waitFor();
  await shot(options, 'item-02-created-offline');
  unreachableCode = await createInvite(options, { role: 'member', relationship: 'exclusive' });
  notes.unreachableInvite = await options
    .getByRole('region', { name: 'Invite a member' })
    .locator('.result')
    .textContent();
  await shot(options, 'item-02-invite-never-synced');
  await options.close();
});

await step('item-09-long-name', async () => {
  const popup = await nadia.popup();
  await popup.getByRole('heading', { level: 1 }).waitFor();
  notes.popupWidthLongName = await popup.evaluate(() => document.documentElement.scrollWidth);
  await shot(popup, 'item-09-popup-long-name');
  await popup.close();
});

await step('item-01-setup', async () => {
  const options = await maya.options();
  await createAgency(options, {
    agencyName: AGENCY.name,
    memberName: 'Maya Chen',
    balance: 120,
    server: sync.url,
  });
  const section = options.getByRole('region', { name: 'Invite a member' });
  await section.getByLabel('Who it is for').fill('Leo');
  const code = await createInvite(options, { role: 'member', relationship: 'exclusive' });
  await shot(options, 'item-07-invite-made');
  const leoOptions = await leo.options();
  await joinAgency(leoOptions, code, 'Leo', AGENCY.name);
  await options.getByLabel('Monthly allowance of Leo').fill('30');
  await options.getByRole('button', { name: 'Set allowance of Leo' }).click();
  await leoOptions.getByTestId('allowance').waitFor();
  await leoOptions.getByText('30 Connects left of 30').waitFor();
  await shot(leoOptions, 'item-08-plain-member-page');
  await leoOptions.setViewportSize({ width: 500, height: 900 });
  notes.optionsScrollAt500 = await leoOptions.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  await shot(leoOptions, 'item-09-pages-500px');
  await leoOptions.close();
  await options.close();
});

await step('item-08-exclusive-freelancer', async () => {
  const page = await leo.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB_KEYS['exclusive-freelancer'])}?latency=1`);
  await overlayReady(page);
  await shot(page, 'item-08-exclusive-on-freelancer');
  await page.close();
});

await step('item-01-send-same-page', async () => {
  const page = await leo.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB_KEYS['member-hourly'])}?latency=1&success=alert`);
  await overlayReady(page);
  await page
    .locator('agency-overlay')
    .getByRole('button', { name: `Propose as ${AGENCY.name}` })
    .click();
  await shot(page, 'item-01-before-send');
  await page.getByRole('button', { name: 'Send for 16 Connects' }).click();
  await page.getByText('Your proposal was submitted.').waitFor();
  await page.locator('agency-overlay [data-testid="send-note"]').filter({ hasText: 'Recorded' }).waitFor();
  await page.waitForTimeout(500);
  notes.afterSendBalance = await page.locator('agency-overlay [data-testid="apply-overlay"]').textContent();
  await shot(page, 'item-01-after-send-same-page');
  await page.close();
});

await step('item-05-duplicate', async () => {
  const page = await maya.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB_KEYS['member-hourly'])}?latency=1&success=alert`);
  await overlayReady(page);
  await page
    .locator('agency-overlay')
    .getByRole('button', { name: `Propose as ${AGENCY.name}` })
    .click()
    .catch(() => {});
  await page.locator('agency-overlay [data-testid="teammates-summary"]').waitFor();
  await shot(page, 'item-05-teammate-proposed');
  await page.getByRole('button', { name: 'Send for 16 Connects' }).click();
  await page.getByText('Your proposal was submitted.').waitFor();
  notes.duplicateHeld = await page.locator('agency-overlay [data-testid="send-hold"]').count();
  await shot(page, 'item-05-sent-without-hold');
  await page.close();
});

await step('item-08-manager-unchosen', async () => {
  const page = await maya.ctx.newPage();
  await page.goto(
    `${UPWORK_ORIGIN}${applyPath(JOB_KEYS.manager)}?latency=1&freelancer=${encodeURIComponent('Select a freelancer')}`,
  );
  await overlayReady(page);
  notes.managerUnchosen = await page
    .locator('agency-overlay [data-testid="propose-as-manager"]')
    .textContent();
  await shot(page, 'item-08-manager-no-freelancer');
  await page.close();
});

await step('item-08-recent-actions', async () => {
  const options = await maya.options();
  for (const n of [20, 25, 30]) {
    await options.getByLabel('Monthly allowance of Leo').fill(String(n));
    await options.getByRole('button', { name: 'Set allowance of Leo' }).click();
    await options
      .getByRole('region', { name: 'Members' })
      .locator('.result')
      .filter({ hasText: `${n} Connects a month` })
      .waitFor();
  }
  const popup = await maya.popup();
  await popup.getByRole('heading', { name: 'Your recent actions' }).waitFor();
  await shot(popup, 'item-08-manager-recent-actions');
  const leoPopup = await leo.popup();
  await leoPopup.getByRole('heading', { name: 'Your recent actions' }).waitFor();
  await shot(leoPopup, 'item-08-member-recent-actions');
  await Promise.all([popup.close(), leoPopup.close()]);
  // Item 4: a schema error worded with its field path; item 10: an earlier result stays.
  const section = options.getByRole('region', { name: 'Connects and calendar' });
  await section.getByLabel('Connects bought').fill('2000000');
  await section.getByRole('button', { name: 'Record purchase' }).click();
  await section.locator('.result.refused').waitFor();
  notes.tooBig = await section.locator('.result.refused').textContent();
  await shot(options, 'item-04-too-big');
  const settings = options.getByRole('region', { name: 'Sync and export' });
  await settings
    .getByLabel('Sync server address')
    .fill(`${sync.url}/a/very/long/path/to/show/whether/the/field/truncates`);
  await settings.getByRole('button', { name: 'Save server' }).click();
  await settings.locator('.result').first().waitFor();
  const download = options.waitForEvent('download');
  await settings.getByRole('button', { name: "Export the agency's log" }).click();
  await download;
  await settings.locator('.result').nth(1).waitFor();
  notes.settingsResults = await settings.locator('.result').allTextContents();
  await settings.getByLabel('Sync server address').fill(sync.url);
  await settings.getByRole('button', { name: 'Save server' }).click();
  await settings.screenshot({ path: join(OUT, 'item-10-two-results-and-truncated-field-before.png') });
  await options.close();
});

await step('item-10-fix-focus', async () => {
  const page = await leo.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB_KEYS.boost)}?latency=1`);
  await overlayReady(page);
  await page.locator('agency-overlay [data-testid="warning-P4"]').waitFor();
  await page.getByRole('button', { name: 'Send for 24 Connects' }).click();
  await page.getByRole('alertdialog').waitFor();
  await shot(page, 'item-04-overlay-hold-badges');
  await page.getByRole('button', { name: /Fix it/ }).click();
  notes.focusAfterFix = await page.evaluate(() => document.activeElement?.tagName);
  await page.close();
});

await step('item-06-former-member', async () => {
  const options = await leo.options();
  await options.getByRole('button', { name: `Leave ${AGENCY.name}` }).click();
  await options.getByRole('button', { name: `Yes, leave ${AGENCY.name}` }).click();
  await options.getByTestId('standing-notice').waitFor();
  await options.waitForTimeout(3000);
  await shot(options, 'item-06-former-member-pages');
  const popup = await leo.popup();
  await popup.getByTestId('standing-notice').waitFor();
  await shot(popup, 'item-06-former-member-popup');
  const page = await leo.ctx.newPage();
  await page.goto(`${UPWORK_ORIGIN}${applyPath(JOB_KEYS['exclusive-agency'])}?latency=1`);
  await page.locator('agency-overlay').waitFor();
  await page.waitForTimeout(1000);
  await shot(page, 'item-06-former-member-overlay');
  await Promise.all([popup.close(), page.close(), options.close()]);
});

await step('item-02-join-unreachable', async () => {
  const fresh = await Profile.fresh('Joiner');
  const options = await fresh.options();
  await options.getByLabel(/Invite code/).fill(unreachableCode);
  const t0 = Date.now();
  await options.getByRole('button', { name: 'Continue' }).click();
  await options.locator('.result.refused').waitFor({ timeout: 60_000 });
  notes.joinUnreachableMs = Date.now() - t0;
  notes.joinUnreachable = await options.locator('.result.refused').textContent();
  await shot(options, 'item-02-join-unreachable');
  await fresh.dispose();
});

writeFileSync(join(OUT, 'before-notes.json'), `${JSON.stringify(notes, null, 2)}\n`);
console.log(notes);
await Promise.allSettled([maya.dispose(), leo.dispose(), nadia.dispose()]);
await Promise.allSettled([sync.dispose(), upwork.close()]);
