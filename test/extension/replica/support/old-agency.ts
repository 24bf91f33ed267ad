// An agency as Agency Overlay 0.1 left it in a browser: a replica database holding actions signed in the
// old format (signed bytes with `v: 1`, which this version's verifyAction reports as OLD_FORMAT), and the
// derived snapshot 0.1 persisted beside them under the same snapshot version this version uses.
import * as Y from 'yjs';
import {
  ACTIONS_ROOT,
  canonicalBytes,
  emptyState,
  generateDeviceKey,
  makeSigner,
  packDeps,
  type Signer,
  SNAPSHOT_VERSION,
  sha256,
  toBase64Url,
} from '../../../../core/index.ts';
import { DocStore } from '../../../../extension/replica/doc-store.ts';
import { replicaDbName } from '../../../../extension/replica/replica.ts';

const T0 = Date.UTC(2026, 5, 1, 9);

async function oldAction(
  agencyId: string,
  signer: Signer,
  type: string,
  payload: Record<string, unknown>,
  deps: string[],
  at: number,
): Promise<[string, Record<string, unknown>]> {
  const packed = packDeps(deps);
  const bytes = canonicalBytes({
    v: 1,
    agency: agencyId,
    type,
    actor: signer.publicKey,
    payload,
    deps: packed,
    at,
  });
  const sig = await signer.sign(bytes);
  return [toBase64Url(sha256(bytes)), { type, actor: signer.publicKey, payload, deps: packed, at, sig }];
}

export interface OldAgency {
  entries: [string, Record<string, unknown>][];
  /** The Y.Doc holding the entries, as one update (a replica database's row). */
  update: Uint8Array;
  /** What 0.1 kept beside it: its derived snapshot and its local bookkeeping (no format recorded). */
  meta: { snapshot: Record<string, unknown>; local: Record<string, unknown> };
}

/** A 0.1 agency named `name`: its signed entries, its doc, and the meta 0.1 stored with it. */
export async function oldAgency(agencyId: string, name = 'Old Studio', signer?: Signer): Promise<OldAgency> {
  const owner = signer ?? (await makeSigner(await generateDeviceKey(crypto.subtle)));
  const created = await oldAction(
    agencyId,
    owner,
    'createAgency',
    { name, memberName: 'Olga', balance: 100 },
    [],
    T0,
  );
  const bought = await oldAction(
    agencyId,
    owner,
    'recordPurchase',
    { connects: 40 },
    [created[0]],
    T0 + 60_000,
  );
  const entries = [created, bought];
  const doc = new Y.Doc();
  const map = doc.getMap(ACTIONS_ROOT);
  doc.transact(() => {
    for (const [id, stored] of entries) map.set(id, stored);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  // 0.1's snapshot: trusted as it stands, it would show the old agency as if it were readable.
  const snapshot = {
    version: SNAPSHOT_VERSION,
    agencyId,
    state: { ...emptyState(agencyId), name, balance: 140 },
    order: entries.map(([id]) => id),
    depth: [1, 2],
    eff: [T0, T0 + 60_000],
    pending: [],
    nonExclusiveSince: [],
    relationships: [],
  };
  const local = { recent: [], unacked: [], lastSyncedAt: T0, stoppedReason: null, credentials: null };
  return { entries, update, meta: { snapshot, local } };
}

/** Writes a 0.1 agency into `idb` as 0.1 left it. */
export async function seedOldAgency(
  idb: IDBFactory,
  agencyId: string,
  name = 'Old Studio',
  signer?: Signer,
): Promise<OldAgency> {
  const old = await oldAgency(agencyId, name, signer);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, old.update);
  const store = await DocStore.open(replicaDbName(agencyId), doc, { idb });
  store.setMeta('snapshot', () => old.meta.snapshot);
  store.setMeta('local', () => old.meta.local);
  await store.saved();
  await store.close();
  doc.destroy();
  return old;
}
