// @vitest-environment node
// A browser that still holds an agency from Agency Overlay 0.1 (issue 8, "What must be true": the migration).
// This version cannot read that signed format: the agency is shown as such, is not synced, and can be
// exported for the agency's records and removed from the browser.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, makeSigner, verifyEntries } from '../../../core/index.ts';
import type { OverviewView } from '../../../extension/messaging/types.ts';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { readLogExport } from '../../../extension/replica/export-log.ts';
import { cachedView, OLD_FORMAT_REASON, Replica, replicaDbName } from '../../../extension/replica/replica.ts';
import { TestBrowser } from '../background/support.ts';
import { seedOldAgency } from './support/old-agency.ts';

const AGENCY = 'old-agency-0001';
const SERVER = 'ws://127.0.0.1:9';
let open: Replica[] = [];
let browsers: TestBrowser[] = [];

afterEach(async () => {
  for (const r of open) await r.close();
  for (const b of browsers) await b.stop();
  open = [];
  browsers = [];
});

async function opened(idb: IDBFactory) {
  const signer = await makeSigner(await generateDeviceKey(crypto.subtle));
  const r = await Replica.open({ agencyId: AGENCY, server: SERVER, signer, idb });
  open.push(r);
  return r;
}

describe('an agency written by Agency Overlay 0.1', () => {
  it('is recognised even though 0.1 left a snapshot this version would otherwise trust', async () => {
    const idb = new IDBFactory();
    await seedOldAgency(idb, AGENCY);
    const r = await opened(idb);
    expect(r.oldFormat).toBe(true);
    expect(r.openStats.snapshot).toBe(false);
    const view = r.view();
    expect(view.oldFormat).toBe(true);
    // Nothing of the old log is derived: not its name, not its balance.
    expect(view.state.name).toBe('');
    expect(view.state.balance).toBe(0);
    expect([...r.log.invalid.values()].map((e) => e.code)).toEqual(['OLD_FORMAT', 'OLD_FORMAT']);
    expect(view.sync).toMatchObject({ status: 'stopped', stoppedReason: OLD_FORMAT_REASON });
  });

  it('is never sent to a server, and takes no new action', async () => {
    const idb = new IDBFactory();
    await seedOldAgency(idb, AGENCY);
    const r = await opened(idb);
    expect(r.connection.state).toBe('offline');
    r.ensureConnected();
    r.reconnect();
    expect(r.connection.provider.shouldConnect).toBe(false);
    expect(await r.act('recordPurchase', { connects: 5 })).toMatchObject({ ok: false, code: 'OLD_FORMAT' });
    expect(r.log.size).toBe(0);
  });

  it('a woken worker shows it as old from storage, before the replica opens', async () => {
    const idb = new IDBFactory();
    await seedOldAgency(idb, AGENCY);
    // Before this version ever opened it, 0.1's snapshot is not shown as if it were readable.
    expect(await cachedView(AGENCY, SERVER, 'k'.repeat(43), 0, idb)).toBeNull();
    await (await opened(idb)).close();
    open = [];
    const cached = await cachedView(AGENCY, SERVER, 'k'.repeat(43), 0, idb);
    expect(cached).toMatchObject({ oldFormat: true, sync: { status: 'stopped' } });
    expect(cached?.state.name).toBe('');
  });

  it('the background exports it as stored, for the records, and removes it from this browser', async () => {
    const b = new TestBrowser();
    browsers.push(b);
    const { entries } = await seedOldAgency(b.idb, AGENCY);
    await b.settings.setAgencies([{ agencyId: AGENCY, name: 'Old Studio', server: SERVER, addedAt: 0 }]);
    const overview = await b.ok<OverviewView>({ kind: 'overview' });
    await b.agencies.start();
    const view = b.agencies.overview();
    expect(overview.agencies).toEqual([{ agencyId: AGENCY, name: 'Old Studio' }]);
    expect(view.view).toMatchObject({ agencyId: AGENCY, oldFormat: true });

    const { fileName, json } = await b.ok<{ fileName: string; json: string }>({
      kind: 'exportLog',
      agencyId: AGENCY,
    });
    expect(fileName).toMatch(/^old-studio-log-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(json)).toMatchObject({ agencyId: AGENCY, name: 'Old Studio', actionFormat: 1 });
    const read = readLogExport(json);
    if (!read.ok) throw new Error(read.message);
    expect(read.entries.map(([id]) => id).sort()).toEqual(entries.map(([id]) => id).sort());
    // The file holds exactly what 0.1 signed: core recognises every entry as the old format.
    const { invalid } = await verifyEntries(AGENCY, read.entries);
    expect(invalid.map((e) => e.code)).toEqual(['OLD_FORMAT', 'OLD_FORMAT']);

    expect(await b.ok({ kind: 'removeAgency', agencyId: AGENCY })).toBeNull();
    expect(await b.settings.agencies()).toEqual([]);
    expect(b.agencies.overview()).toEqual({ agencies: [], selected: null, view: null });
    // Its database is gone: opening it again finds nothing.
    const meta = await DocStore.peekMeta(replicaDbName(AGENCY), ['snapshot', 'local'], b.idb);
    expect(meta.size).toBe(0);
  });
});
