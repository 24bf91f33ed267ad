// A browser profile restored from an old backup, in real Chromium with the real built extension and the real
// sync server: its copy of the agency is older than what its own key already sent. What it writes before
// syncing does not build on its key's last action: a branch of the key's chain (core/key-chain.ts), which
// the server stores and every replica applies beside the action it missed, flagged KEY_BRANCHED. The popup
// syncs, counts both purchases and lists the flag (test/extension/replica/a-copy-older-than-its-key-writes-
// beside-it.test.ts: the same against the replica, and the next action closing the branch).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { createAgency, outcomeIn, UI_TIMEOUT } from './support/pages.ts';
import { waitForPersisted } from './support/replica.ts';
import { SyncServer } from './support/sync-server.ts';

const AGENCY = 'Acme Studio';
let server: SyncServer;
let olga: Profile;
let backupDir: string;

async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: UI_TIMEOUT });
}

async function recordPurchase(options: Page, connects: number): Promise<string> {
  const section = options.getByRole('region', { name: 'Connects and calendar' });
  await section.getByLabel('Connects bought').fill(String(connects));
  await section.getByRole('button', { name: 'Record purchase' }).click();
  return outcomeIn(section, `Purchase of ${connects} Connect`);
}

describe('a profile restored from an old backup', () => {
  beforeAll(async () => {
    server = await SyncServer.start();
    olga = await Profile.fresh('Olga');
    backupDir = await mkdtemp(join(tmpdir(), 'agency-overlay-backup-'));
  });

  afterAll(async () => {
    await Promise.allSettled([olga?.dispose()]);
    await server?.dispose();
    if (backupDir) await rm(backupDir, { recursive: true, force: true });
  });

  it('syncs what it wrote on its older copy beside what it missed, both counted, and flags it', async () => {
    const options = await olga.options();
    await createAgency(options, { agencyName: AGENCY, memberName: 'Olga', balance: 100, server: server.url });
    await waitForPersisted(olga, (e) => e.some((x) => x.type === 'publishSealKey'));
    const popup = await olga.popup();
    await waitForText(popup.getByTestId('sync-status'), /^Synced/);

    // The backup: the whole profile, browser closed.
    await olga.close();
    await cp(olga.userDataDir, backupDir, { recursive: true });

    // Then a purchase reaches the server.
    await olga.launch();
    const later = await olga.options();
    expect(await recordPurchase(later, 10)).toMatch(/^Purchase of 10 Connects recorded/);
    const before = await olga.popup();
    await waitForText(before.getByTestId('sync-status'), /^Synced/);
    await waitForText(before.getByTestId('balance'), /^110$/);
    await olga.close();

    // The profile comes back from the backup, and Olga records a purchase while the server is away.
    await rm(olga.userDataDir, { recursive: true, force: true });
    await cp(backupDir, olga.userDataDir, { recursive: true });
    await server.kill();
    await olga.launch();
    const restored = await olga.options();
    expect(await recordPurchase(restored, 5)).toBe(
      'Purchase of 5 Connects recorded — saved in this browser.',
    );
    const after = await olga.popup();
    await waitForText(after.getByTestId('balance'), /^105$/);

    // Once the server is back, the copy syncs: both purchases count, and the popup says why they are flagged.
    await server.restart();
    await waitForText(after.getByTestId('sync-status'), /^Synced/);
    await waitForText(after.getByTestId('balance'), /^115$/);
    const flags = after.getByRole('list', { name: 'Flags' });
    await waitForText(flags.getByRole('listitem'), /^You: Written beside another action of the same browser/);
    expect(await flags.getByRole('listitem').count()).toBe(2);
    await screenshot(after, 'popup-copy-older-than-its-key');
  });
});
