// Issue 13: Chromium sometimes discards an extension's whole IndexedDB after its process is killed. The real
// built extension in real Chromium, with the real sync server: a business manager records purchases while the
// server is down (saved here, not acknowledged), the browser closes, the test deletes the extension's
// IndexedDB folder in the profile (what the browser's discard leaves), and the browser starts again. The
// popup says what happened and that nothing is lost, the purchases are back, and they reach the server when
// it returns (the rest of the agency comes back from it).
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { createAgency, outcomeIn, UI_TIMEOUT } from './support/pages.ts';
import { type StoredEntry, waitForPersisted } from './support/replica.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Acme Studio';
let server: SyncServer;
let olga: Profile;

async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: UI_TIMEOUT });
}

async function recordPurchase(options: Page, connects: number): Promise<string> {
  const section = options.getByRole('region', { name: 'Connects and calendar' });
  await section.getByLabel('Connects bought').fill(String(connects));
  await section.getByRole('button', { name: 'Record purchase' }).click();
  return outcomeIn(section, `Purchase of ${connects} Connect`);
}

const purchase = (n: number) => (e: StoredEntry) => e.type === 'recordPurchase' && e.payload.connects === n;
const allThree = (entries: StoredEntry[]) => [7, 8, 9].every((n) => entries.some(purchase(n)));

/** The extension's IndexedDB in the profile (the default storage bucket of its origin). */
const extensionIdb = (p: Profile) =>
  join(p.userDataDir, 'Default', 'IndexedDB', `chrome-extension_${p.extensionId}_0.indexeddb.leveldb`);

describe('the browser discards the extension’s IndexedDB', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    olga = await Profile.fresh('Olga');
  });

  afterAll(async () => {
    await Promise.allSettled([olga?.dispose()]);
    await server?.dispose();
  });

  it('the purchases saved while the server was down come back, the popup says so, and they reach the server', async () => {
    const options = await olga.options();
    await createAgency(options, { agencyName: AGENCY, memberName: 'Olga', balance: 100, server: server.url });
    // A business manager's agency pages publish the browser's seal key (D15): let it reach the server first.
    await waitForPersisted(olga, (e) => e.some((x) => x.type === 'publishSealKey'));
    const popup = await olga.popup();
    await waitForText(popup.getByTestId('sync-status'), /^Synced/);

    await server.kill();
    await waitForText(popup.getByTestId('sync-status'), /^Offline/);
    for (const n of [7, 8, 9])
      expect(await recordPurchase(options, n)).toBe(
        `Purchase of ${n} Connects recorded — saved in this browser.`,
      );
    await waitForText(popup.getByTestId('sync-status'), 'Offline — 3 actions waiting');
    await waitForText(popup.getByTestId('balance'), /^124$/);

    await olga.close();
    const idb = extensionIdb(olga);
    expect(existsSync(idb)).toBe(true);
    await rm(idb, { recursive: true, force: true });
    // The device key lives in a storage bucket of its own (another LevelDB), which the discard leaves.
    const buckets = join(olga.userDataDir, 'Default', 'WebStorage');
    expect(readdirSync(buckets).some((d) => existsSync(join(buckets, d, 'IndexedDB')))).toBe(true);

    await olga.launch();
    const after = await olga.popup();
    const notice = after.getByTestId('recovery-notice');
    await notice.waitFor({ timeout: UI_TIMEOUT });
    const text = await notice.textContent();
    expect(text).toMatch(`This browser lost its stored copy of ${AGENCY}`);
    expect(text).toMatch('Your 3 actions not yet on the server were kept apart and are back');
    expect(text).toMatch('Nothing of yours is lost.');
    await expect(notice.getAttribute('role')).resolves.toBe('status');
    await waitForText(after.getByTestId('sync-status'), 'Offline — 3 actions waiting');
    await screenshot(after, 'popup-recovered-after-discard');

    // The three purchases are back among the member's actions, waiting for the server. (In the doc they wait
    // for the server's copy of the actions before them, which the discard took: Yjs holds them pending, and
    // the record outside IndexedDB keeps them until the server acknowledges them.)
    const mine = after.getByRole('list', { name: 'Your recent actions' }).getByRole('listitem');
    await waitForText(mine, 'Recorded a Connects purchase');
    await expect(
      mine.filter({ hasText: /Recorded a Connects purchase\s*Saved in this browser/ }).count(),
    ).resolves.toBe(3);

    await server.restart();
    await waitForText(after.getByTestId('sync-status'), /^Synced/);
    // The agency came back from the server and the three purchases count once each.
    await waitForText(after.getByTestId('balance'), /^124$/);
    const stored = await waitForPersisted(
      olga,
      (e) => allThree(e) && e.some((x) => x.type === 'createAgency'),
    );
    expect(stored.filter((e) => e.type === 'recordPurchase')).toHaveLength(3);
    await screenshot(after, 'popup-recovered-after-discard-synced');

    // OK dismisses it, and a restart does not bring it back.
    await notice.getByRole('button', { name: 'OK' }).click();
    await notice.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await olga.close();
    await olga.launch();
    const again = await olga.popup();
    await waitForText(again.getByTestId('balance'), /^124$/);
    await expect(again.getByTestId('recovery-notice').count()).resolves.toBe(0);
  });
});
