import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore } from '../../../extension/replica/doc-store.ts';

let n = 0;
const fresh = () => `doc-store-test-${n++}`;

function entry(i: number) {
  return { type: 'observeBalance', payload: { balance: i }, at: i, sig: new Uint8Array(64).fill(i % 256) };
}

async function reopen(name: string, opts = {}) {
  const doc = new Y.Doc();
  const store = await DocStore.open(name, doc, opts);
  return { doc, store, map: doc.getMap<ReturnType<typeof entry>>('actions') };
}

/** An IDBFactory (injected through `idb`) that logs each write transaction's durability and `complete`. */
function recordingFactory(log: string[]): IDBFactory {
  const open = (name: string, version?: number) => {
    const request = indexedDB.open(name, version);
    request.addEventListener('success', () => {
      const db = request.result;
      const transaction = db.transaction.bind(db);
      db.transaction = ((stores, mode, options) => {
        const tx = transaction(stores, mode, options);
        if (mode === 'readwrite') {
          log.push(`write ${options?.durability ?? 'default'}`);
          tx.addEventListener('complete', () => log.push('complete'));
        }
        return tx;
      }) as IDBDatabase['transaction'];
    });
    return request;
  };
  return { open, deleteDatabase: indexedDB.deleteDatabase.bind(indexedDB) } as unknown as IDBFactory;
}

describe('DocStore: the replica’s IndexedDB persistence', () => {
  it('"saved" resolves after the write transaction completed, relaxed by default and strict when asked', async () => {
    for (const durability of [undefined, 'strict'] as const) {
      const log: string[] = [];
      const a = await reopen(fresh(), { idb: recordingFactory(log), durability });
      a.map.set('k1', entry(1));
      await a.store.saved();
      log.push('saved');
      expect(log).toEqual([`write ${durability ?? 'relaxed'}`, 'complete', 'saved']);
      await a.store.close();
    }
  });

  it('saved() resolves only once the update can be read back by another connection', async () => {
    const name = fresh();
    const a = await reopen(name);
    a.map.set('k1', entry(1));
    await a.store.saved();
    expect(a.store.unsaved).toBe(0);
    const b = await reopen(name);
    expect(b.map.get('k1')).toEqual(entry(1));
    await a.store.close();
    await b.store.close();
  });

  it('y-indexeddb#31: opening with no edits writes nothing', async () => {
    const name = fresh();
    const a = await reopen(name);
    for (let i = 0; i < 10; i++) {
      a.map.set(`k${i}`, entry(i));
      await a.store.saved();
    }
    await a.store.close();
    for (let round = 0; round < 3; round++) {
      const b = await reopen(name);
      expect(b.map.size).toBe(10);
      expect(b.store.rowCount).toBe(10);
      await b.store.saved();
      expect(b.store.stats.writeTransactions).toBe(0);
      await b.store.close();
    }
  });

  it('updates of one tick share one write transaction and one row (group commit)', async () => {
    const name = fresh();
    const a = await reopen(name);
    for (let i = 0; i < 100; i++) a.map.set(`k${i}`, entry(i));
    await a.store.saved();
    expect(a.store.stats.updatesWritten).toBe(100);
    expect(a.store.stats.writeTransactions).toBe(1);
    expect(a.store.rowCount).toBe(1);
    await a.store.close();
    const b = await reopen(name);
    expect(b.map.size).toBe(100);
    await b.store.close();
  });

  it('bursts written as diffs since the last batch keep every entry, across several bursts and a reopen', async () => {
    const name = fresh();
    const a = await reopen(name);
    for (let burst = 0; burst < 3; burst++) {
      for (let i = 0; i < 50; i++) a.map.set(`b${burst}-${i}`, entry(i));
      a.map.set(`single-${burst}`, entry(burst));
      await a.store.saved();
    }
    expect(a.store.stats.writeTransactions).toBe(3);
    await a.store.close();
    const b = await reopen(name);
    expect(b.map.size).toBe(153);
    expect(b.map.get('b2-49')).toEqual(entry(49));
    await b.store.close();
  });

  it('merges only the newest small rows, into bounded chunks, and keeps every entry', async () => {
    const name = fresh();
    const a = await reopen(name, { mergeAfter: 8, chunkBytes: 4096 });
    for (let i = 0; i < 200; i++) {
      a.map.set(`k${i}`, entry(i));
      await a.store.saved();
    }
    expect(a.store.stats.compactions).toBeGreaterThan(0);
    expect(a.store.rowCount).toBeLessThan(200 / 4);
    await a.store.close();
    const b = await reopen(name);
    expect(b.map.size).toBe(200);
    expect(b.map.get('k199')).toEqual(entry(199));
    expect(b.store.rowCount).toBe(a.store.rowCount);
    await b.store.close();
  });

  it('writes meta values in the same transaction as the updates before them', async () => {
    const name = fresh();
    const a = await reopen(name);
    a.map.set('k1', entry(1));
    a.store.setMeta('snapshot', () => ({ size: a.map.size }));
    await a.store.saved();
    expect(a.store.stats.writeTransactions).toBe(1);
    await a.store.close();
    const b = await reopen(name, { metaKeys: ['snapshot', 'missing'] });
    expect(b.store.meta.get('snapshot')).toEqual({ size: 1 });
    expect(b.store.meta.has('missing')).toBe(false);
    await b.store.close();
  });

  it('persists what a doc already held when a store is first opened on it', async () => {
    const name = fresh();
    const doc = new Y.Doc();
    doc.getMap('actions').set('k0', entry(0));
    const store = await DocStore.open(name, doc);
    await store.saved();
    await store.close();
    const b = await reopen(name);
    expect(b.map.get('k0')).toEqual(entry(0));
    await b.store.close();
  });
});
