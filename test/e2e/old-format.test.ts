// A browser that still holds an agency from Agency Overlay 0.1, in real Chromium with the built extension:
// the agency's IndexedDB database and settings entry are written as 0.1 left them (from inside the
// extension's service worker, in the replica store's layout), the browser is restarted, and the popup and
// agency pages must say plainly what to do, with Export and Remove working (README "Upgrading from 0.1").
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEntries } from '../../core/index.ts';
import { readLogExport } from '../../extension/replica/export-log.ts';
import { replicaDbName } from '../../extension/replica/replica.ts';
import { oldAgency } from '../extension/replica/support/old-agency.ts';
import { screenshot } from './support/artifacts.ts';
import { Profile } from './support/browser.ts';
import { UI_TIMEOUT } from './support/pages.ts';

const AGENCY_ID = 'old-agency-from-0-1';
const NAME = 'Old Studio';
const MESSAGE =
  'This agency was created with Agency Overlay 0.1, whose log format this version cannot read. Export it for your records, remove it from this browser, and create the agency again; then re-invite members.';

let profile: Profile;

/** Writes the 0.1 agency into the extension's storage from inside its service worker. */
async function seed(p: Profile): Promise<void> {
  const old = await oldAgency(AGENCY_ID, NAME);
  const worker = p.worker() ?? (await p.ctx.waitForEvent('serviceworker', { timeout: 30_000 }));
  await worker.evaluate(
    async ({ dbName, row, meta, entry }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(dbName, 1);
        r.onupgradeneeded = () => {
          r.result.createObjectStore('updates', { autoIncrement: true });
          r.result.createObjectStore('meta');
        };
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['updates', 'meta'], 'readwrite');
        tx.objectStore('updates').add(Uint8Array.from(row));
        for (const [k, v] of Object.entries(meta)) tx.objectStore('meta').put(v, k);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      const storage = (
        globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } }
      ).chrome.storage.local;
      await storage.set({ agencies: [entry], agencies$: { v: 1 }, selectedAgency: entry.agencyId });
    },
    {
      dbName: replicaDbName(AGENCY_ID),
      row: Array.from(old.update),
      meta: old.meta,
      entry: { agencyId: AGENCY_ID, name: NAME, server: 'ws://127.0.0.1:9', addedAt: 0 },
    },
  );
}

describe('an agency left by Agency Overlay 0.1', () => {
  beforeAll(async () => {
    profile = await Profile.fresh('Upgrader');
    await seed(profile);
    // The browser is restarted after the upgrade: the worker starts with the old agency in its settings.
    await profile.close();
    await profile.launch();
  });

  afterAll(async () => {
    await profile?.dispose();
  });

  it('the popup says plainly what to do, and shows nothing of the old state', async () => {
    const popup = await profile.popup();
    const alert = popup.getByRole('alert');
    await alert.waitFor({ timeout: UI_TIMEOUT });
    await expect(alert.textContent()).resolves.toBe(MESSAGE);
    await expect(popup.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(NAME);
    await expect(popup.getByTestId('balance').count()).resolves.toBe(0);
    await expect(popup.getByRole('button', { name: "Export the agency's log" }).isVisible()).resolves.toBe(
      true,
    );
    await screenshot(popup, 'popup-old-format');
    await popup.close();
  });

  it('the agency pages export the log as it was signed, then remove the agency from this browser', async () => {
    const options = await profile.options();
    await options.getByTestId('old-format').waitFor({ timeout: UI_TIMEOUT });
    await expect(options.getByRole('alert').first().textContent()).resolves.toBe(MESSAGE);
    await screenshot(options, 'options-old-format');

    const download = options.waitForEvent('download', { timeout: UI_TIMEOUT });
    await options.getByRole('button', { name: "Export the agency's log" }).click();
    const file = await (await download).path();
    const exported = readLogExport(await readFile(file, 'utf8'));
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.agencyId).toBe(AGENCY_ID);
    expect(exported.entries).toHaveLength(2);
    const { invalid } = await verifyEntries(exported.agencyId, exported.entries);
    expect(invalid.map((e) => e.code)).toEqual(['OLD_FORMAT', 'OLD_FORMAT']);

    await options.getByRole('button', { name: `Remove ${NAME} from this browser` }).click();
    await options.getByRole('button', { name: `Yes, remove ${NAME} from this browser` }).click();
    await options.getByRole('heading', { level: 1, name: 'Agency Overlay' }).waitFor({ timeout: UI_TIMEOUT });
    await options.getByRole('heading', { name: 'Create an agency' }).waitFor({ timeout: UI_TIMEOUT });
    const popup = await profile.popup();
    await popup.getByText('You are not in an agency yet.').waitFor({ timeout: UI_TIMEOUT });
    // Its database is gone from the worker's IndexedDB.
    const worker = profile.worker() ?? (await profile.ctx.waitForEvent('serviceworker', { timeout: 30_000 }));
    const names = await worker.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(names).not.toContain(replicaDbName(AGENCY_ID));
  });
});
