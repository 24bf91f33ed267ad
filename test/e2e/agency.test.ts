// Two members in two real Chromium profiles with the built extension, syncing through the real sync server
// on loopback. One scenario, step by step (each `it` builds on the previous one): create and invite, join,
// manage, offline and back, idle, and a browser restart. Timings are printed and saved under test-results/.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derive, verifyEntries } from '../../core/index.ts';
import { readLogExport } from '../../extension/replica/export-log.ts';
import { screenshot, Timings } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import {
  createAgency,
  createInvite,
  joinAgency,
  outcomeIn,
  shownAt,
  teamLine,
  UI_TIMEOUT,
} from './support/pages.ts';
import { CHROMIUM } from './support/paths.ts';
import { type StoredEntry, waitForPersisted } from './support/replica.ts';
import { WorkerWatch } from './support/service-worker.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Acme Studio';
/** The target for a change to reach the other member's popup. */
const PROPAGATION_TARGET_MS = 2_000;
/** Chrome stops an extension's service worker after 30 s without events. */
const IDLE_MS = 31_000;

const TEAM_ITEMS = '[aria-label="Team members"] li';
const BALANCE = '[data-testid="balance"]';

const timings = new Timings();
let server: SyncServer;
let olga: Profile;
let bob: Profile;
let inviteCode = '';

/** When the popup first drew the background's data, in ms since its navigation started (performance.mark). */
async function firstRender(page: Page, mark = 'popup-first-render'): Promise<number> {
  const handle = await page.waitForFunction(
    (name) => performance.getEntriesByName(name)[0]?.startTime ?? false,
    mark,
    { timeout: UI_TIMEOUT },
  );
  return (await handle.jsonValue()) as number;
}

async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: UI_TIMEOUT });
}

const purchase = (n: number) => (e: StoredEntry) => e.type === 'recordPurchase' && e.payload.connects === n;

async function recordPurchase(options: Page, connects: number): Promise<string> {
  const section = options.getByRole('region', { name: 'Connects and calendar' });
  await section.getByLabel('Connects bought').fill(String(connects));
  await section.getByRole('button', { name: 'Record purchase' }).click();
  return outcomeIn(section, `Purchase of ${connects} Connect`);
}

describe('two members in two browsers, synced through a real sync server', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    [olga, bob] = await Promise.all([Profile.fresh('Olga'), Profile.fresh('Bob')]);
  });

  afterAll(async () => {
    timings.write(
      execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
    await Promise.allSettled([olga?.dispose(), bob?.dispose()]);
    await server?.dispose();
  });

  it('a business manager creates the agency and a single-use invite in the first profile', async () => {
    const options = await olga.options();
    await createAgency(options, { agencyName: AGENCY, memberName: 'Olga', balance: 100, server: server.url });
    await expect(options.getByTestId('my-standing').textContent()).resolves.toContain('business manager');
    inviteCode = await createInvite(options, { role: 'member', relationship: 'exclusive' });
    // The code carries server, agency and the invite's private key; never a chrome-extension:// link (its
    // id differs per browser).
    expect(inviteCode).toMatch(/^ao2\./);
    expect(inviteCode).not.toContain('chrome-extension://');
    await screenshot(options, 'options-manager-invite');
  });

  it('a member joins from a fresh profile through the sync server, and both see each other', async () => {
    const options = await bob.options();
    await joinAgency(options, inviteCode, 'Bob', AGENCY);
    const popup = await bob.popup();
    await waitForText(teamLine(popup, 'Olga'), 'Business manager');
    await waitForText(teamLine(popup, 'Bob (you)'), 'Member · Exclusive');
    await expect(popup.locator(BALANCE).textContent()).resolves.toBe('100');
    timings.record('popup first render (member, worker running)', await firstRender(popup));
    const olgaPopup = await olga.popup();
    await waitForText(teamLine(olgaPopup, 'Bob'), 'Member · Exclusive');
    await screenshot(popup, 'popup-member-joined');
    await screenshot(options, 'options-member');
    // A plain member sees the team and who manages it, not the managers' controls (P2).
    await expect(options.getByLabel('Role of Olga').count()).resolves.toBe(0);
    await expect(options.getByTestId('managers-note').textContent()).resolves.toBe(
      "Olga is the agency's business manager: ask them to invite someone, change a role or an allowance, or record Connects.",
    );
    await Promise.all([olgaPopup.close(), options.close()]);
  });

  it("the manager changes the member's role and relationship and records a purchase; the member's popup shows each", async () => {
    const options = olga.ctx.pages().find((p) => p.url().endsWith('/options.html'))!;
    const bobPopup = bob.ctx.pages().find((p) => p.url().endsWith('/popup.html'))!;
    const members = options.getByRole('region', { name: 'Members' });

    let t0 = Date.now();
    await members.getByLabel('Role of Bob').selectOption('manager');
    let t1 = await shownAt(bobPopup, TEAM_ITEMS, /Bob \(you\)\s*Business manager/);
    timings.record('propagation: role change → member popup', t1 - t0, PROPAGATION_TARGET_MS);

    t0 = Date.now();
    await members.getByLabel('Relationship of Bob').selectOption('non-exclusive');
    t1 = await shownAt(bobPopup, TEAM_ITEMS, /Bob \(you\)\s*Business manager · Non-exclusive/);
    timings.record('propagation: relationship change → member popup', t1 - t0, PROPAGATION_TARGET_MS);

    t0 = Date.now();
    const outcome = await recordPurchase(options, 50);
    t1 = await shownAt(bobPopup, BALANCE, /^150$/);
    timings.record('propagation: purchase → member popup balance', t1 - t0, PROPAGATION_TARGET_MS);
    expect(outcome).toMatch(
      /^Purchase of 50 Connects recorded — (saved in this browser|synced with the server)\.$/,
    );
    // The manager's page then shows the action acknowledged by the server.
    await waitForText(
      options.getByRole('region', { name: 'Connects and calendar' }).locator('.result'),
      'synced with the server',
    );
    await waitForText(
      bobPopup.getByRole('list', { name: 'Recent activity' }).getByRole('listitem'),
      'Olga recorded a purchase of 50 Connects',
    );
    await screenshot(bobPopup, 'popup-member-after-changes');
    await screenshot(options, 'options-manager-after-changes');
  });

  it('offline: actions wait and are shown waiting; when the server returns both converge with no page open', async () => {
    const bobPopup = bob.ctx.pages().find((p) => p.url().endsWith('/popup.html'))!;
    const olgaOptions = olga.ctx.pages().find((p) => p.url().endsWith('/options.html'))!;
    // Bob is a business manager now: his agency pages publish his browser's key for sealed amounts (D15), an
    // action of its own. Let it reach the server first, so that what waits below is only the purchase.
    const bobFirst = await bob.options();
    const sealKeys = (entries: StoredEntry[]) =>
      entries.filter((e) => e.type === 'publishSealKey').length >= 2;
    await Promise.all([waitForPersisted(olga, sealKeys), waitForPersisted(bob, sealKeys)]);
    await waitForText(bobPopup.getByTestId('sync-status'), /^Synced/);
    await bobFirst.close();
    await server.kill();
    await waitForText(bobPopup.getByTestId('sync-status'), /^Offline/);

    // Bob, a business manager now, and Olga each record a purchase while the server is down.
    const bobOptions = await bob.options();
    expect(await recordPurchase(bobOptions, 7)).toBe(
      'Purchase of 7 Connects recorded — saved in this browser.',
    );
    expect(await recordPurchase(olgaOptions, 5)).toBe(
      'Purchase of 5 Connects recorded — saved in this browser.',
    );
    await waitForText(bobPopup.getByTestId('sync-status'), 'Offline — 1 action waiting');
    await waitForText(bobPopup.locator(BALANCE), /^157$/);
    await screenshot(bobPopup, 'popup-member-offline');

    // Nobody has any of the extension's pages open when the server comes back.
    await Promise.all([olga.closePages(), bob.closePages()]);
    const back = Date.now();
    await server.restart();
    const both = (entries: StoredEntry[]) => entries.some(purchase(7)) && entries.some(purchase(5));
    await Promise.all([waitForPersisted(olga, both), waitForPersisted(bob, both)]);
    timings.record('convergence after the server returned (no page open)', Date.now() - back);

    const [olgaPopup, popup] = await Promise.all([olga.popup(), bob.popup()]);
    for (const p of [olgaPopup, popup]) {
      await waitForText(p.locator(BALANCE), /^162$/);
      await waitForText(p.getByTestId('sync-status'), /^Synced/);
    }
    await Promise.all([olgaPopup.close(), popup.close()]);
  });

  it('after both stay idle for over 30 s, the next change still syncs at once; a stopped worker comes back the same', async () => {
    await Promise.all([olga.closePages(), bob.closePages()]);
    const [olgaWatch, bobWatch] = await Promise.all([WorkerWatch.attach(olga), WorkerWatch.attach(bob)]);
    try {
      const idleFrom = Date.now();
      // The idle period is what is under test here, not a synchronisation: nothing happens for 31 s.
      await new Promise((r) => setTimeout(r, IDLE_MS));
      console.log(
        `[e2e] after ${IDLE_MS / 1000} s idle, Chrome ${bobWatch.stoppedSince(idleFrom) ? 'had stopped' : 'had kept running'} the member's worker (now ${bobWatch.status})`,
      );

      let bobPopup = await bob.popup();
      timings.record('popup first render (member, after 31 s idle)', await firstRender(bobPopup));
      await expect(bobPopup.locator(BALANCE).textContent()).resolves.toBe('162');
      let olgaOptions = await olga.options();
      let t0 = Date.now();
      await olgaOptions.getByLabel('Monthly allowance of Bob').fill('20');
      await olgaOptions.getByRole('button', { name: 'Set allowance of Bob' }).click();
      let t1 = await shownAt(bobPopup, '[data-testid="allowance"]', '20 Connects left of 20');
      timings.record('propagation after 31 s idle: allowance → member popup', t1 - t0, PROPAGATION_TARGET_MS);

      // Chrome stops an idle worker; a worker Playwright is attached to may be kept alive, so stop both here
      // as Chrome does. Each must come back to the same state from what it persisted, and sync at once.
      await Promise.all([olga.closePages(), bob.closePages()]);
      await Promise.all([olgaWatch.stop(), bobWatch.stop()]);
      expect([olgaWatch.status, bobWatch.status]).toEqual(['stopped', 'stopped']);
      bobPopup = await bob.popup();
      timings.record('popup first render (member, cold worker)', await firstRender(bobPopup));
      await expect(bobPopup.locator(BALANCE).textContent()).resolves.toBe('162');
      await waitForText(bobPopup.getByTestId('allowance'), '20 Connects left of 20');
      olgaOptions = await olga.options();
      t0 = Date.now();
      await recordPurchase(olgaOptions, 3);
      t1 = await shownAt(bobPopup, BALANCE, /^165$/);
      timings.record(
        'propagation after both workers were stopped: purchase → member popup',
        t1 - t0,
        PROPAGATION_TARGET_MS,
      );
    } finally {
      await Promise.all([olgaWatch.detach(), bobWatch.detach()]);
    }
  });

  it('closing and reopening the browser keeps everything', async () => {
    // What a browser received is kept once its IndexedDB transaction is done (a browser closed a moment
    // after a popup showed it reads it again from the server, not from its store): close after that, so
    // the first render after the restart shows what was kept, not what came back since.
    const threeMore = (entries: StoredEntry[]) => entries.some(purchase(3));
    await Promise.all([waitForPersisted(olga, threeMore), waitForPersisted(bob, threeMore)]);
    await Promise.all([olga.close(), bob.close()]);
    await Promise.all([olga.launch(), bob.launch()]);
    const [olgaPopup, bobPopup] = await Promise.all([olga.popup(), bob.popup()]);
    for (const popup of [olgaPopup, bobPopup]) {
      // The first render may come from the derived snapshot, read before the stored doc: it says so beside
      // the balance ("As of …, updating…") and the balance settles on what was kept (a CI dry run saw 162
      // for a moment, when the snapshot was only written every 2 s); the note goes once the doc is read.
      await waitForText(popup.locator(BALANCE), /^165$/);
      await expect.poll(() => popup.getByTestId('as-of').count(), { timeout: UI_TIMEOUT }).toBe(0);
      await waitForText(teamLine(popup, 'Bob'), 'Business manager · Non-exclusive');
      await waitForText(
        popup.getByRole('list', { name: 'Recent activity' }).getByRole('listitem'),
        'Olga recorded a purchase of 3 Connects',
      );
      await waitForText(popup.getByTestId('sync-status'), /^Synced/);
    }
    timings.record('popup first render (member, after browser restart)', await firstRender(bobPopup));
    await screenshot(bobPopup, 'popup-member-after-restart');
    await screenshot(olgaPopup, 'popup-manager-after-restart');
    const options = await bob.options();
    await screenshot(options, 'options-member-after-restart');

    // The exported log is a file anyone can check with core alone: every signature holds, and replaying
    // the actions gives the balance the popups show.
    const download = options.waitForEvent('download', { timeout: UI_TIMEOUT });
    await options.getByRole('button', { name: "Export the agency's log" }).click();
    const file = await (await download).path();
    const exported = readLogExport(await readFile(file, 'utf8'));
    if (!exported.ok) throw new Error(exported.message);
    const { valid, invalid } = await verifyEntries(exported.agencyId, exported.entries);
    expect(invalid).toEqual([]);
    expect(valid.length).toBeGreaterThanOrEqual(10);
    expect(derive(exported.agencyId, valid).state.balance).toBe(165);
  });
});
