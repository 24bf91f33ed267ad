// A restarted worker shows the derived snapshot before the stored doc is read (local-meta.ts cachedView). The
// snapshot used to be written at most every 2 s, so right after an own action a restart could show the balance
// from before it (a CI run saw 162 for a moment). Now the snapshot goes into the same transaction as each own
// action while writing it is cheap, and the cached view says when it was written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { SNAPSHOT_AT_KEY, SNAPSHOT_KEY } from '../../../extension/replica/local-meta.ts';
import { cachedView, type Replica, replicaDbName } from '../../../extension/replica/replica.ts';
import { OWN_ACTION_SNAPSHOT_MS } from '../../../extension/replica/snapshot-writer.ts';
import { MiniServer } from './support/mini-server.ts';
import { Browser, createdAgency } from './support/peers.ts';

let server: MiniServer;
let browsers: Browser[] = [];

beforeEach(async () => {
  server = await new MiniServer().start();
});

afterEach(async () => {
  for (const b of browsers) await b.closeAll();
  browsers = [];
  await server.stop();
});

async function olgasAgency() {
  const olga = await Browser.make('Olga');
  browsers.push(olga);
  const manager = await createdAgency(olga, server.url);
  await manager.flush();
  return { olga, manager };
}

/** What a restarted worker would show first, read while the replica is still open. */
const cached = (olga: Browser, manager: Replica, now = Date.now()) =>
  cachedView(manager.agencyId, server.url, olga.signer.keyId, now, olga.idb);

describe('the derived snapshot and the member own actions', () => {
  it('an own action reported saved is in the snapshot already, and the cached view says as of when', async () => {
    const { olga, manager } = await olgasAgency();
    const before = await cached(olga, manager);
    expect(before?.connects.balance).toBe(100);
    expect(await manager.act('recordPurchase', { connects: 50 })).toMatchObject({
      ok: true,
      status: 'saved',
    });
    // No timer ran (2 s have not passed): the snapshot was written with the action.
    const after = await cached(olga, manager);
    expect(after?.connects.balance).toBe(150);
    expect(after?.recent[0]).toMatchObject({ type: 'recordPurchase' });
    const meta = await DocStore.peekMeta(replicaDbName(manager.agencyId), [SNAPSHOT_AT_KEY], olga.idb);
    expect(after?.cached).toEqual({ at: meta.get(SNAPSHOT_AT_KEY) });
    expect(typeof after?.cached?.at).toBe('number');
    // The open replica's own view is the doc's: no note.
    expect(manager.view().cached).toBeUndefined();
  });

  it('when the last snapshot write was costly, an own action keeps the 2 s cadence', async () => {
    const { olga, manager } = await olgasAgency();
    const store = (manager as unknown as { store: DocStore }).store;
    store.stats.metaMs.set(SNAPSHOT_KEY, OWN_ACTION_SNAPSHOT_MS + 1);
    expect(await manager.act('recordPurchase', { connects: 50 })).toMatchObject({
      ok: true,
      status: 'saved',
    });
    expect((await cached(olga, manager))?.connects.balance).toBe(100);
    // The flush before a worker stops still writes it.
    await manager.flush();
    expect((await cached(olga, manager))?.connects.balance).toBe(150);
  });
});
