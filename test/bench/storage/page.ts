// Runs inside a real Chromium page (bundled by bundle.ts): the same scenarios against stock y-indexeddb and
// the replica's DocStore, on the page's own IndexedDB. Exposed as `globalThis.storageBench`.
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { DocStore } from '../../../extension/replica/doc-store.ts';
import { Keep, type KeepArea, readKept } from '../../../extension/replica/keep.ts';
import { applyRecovery, planRecovery } from '../../../extension/replica/recovery.ts';

/**
 * `strict` is DocStore with `durability: 'strict'` (an fsync per batch), to measure what it costs. `kept` is
 * DocStore plus the record the replica keeps outside IndexedDB (replica/keep.ts, in chrome.storage.local):
 * every append is kept until acknowledged, and "saved" waits for both, as the replica's act() does.
 */
export type Kind = 'stock' | 'docstore' | 'strict' | 'kept';

const area = () =>
  (globalThis as unknown as { chrome: { storage: { local: KeepArea } } }).chrome.storage.local;

/** A deterministic stand-in for a signed action (the shape of core's StoredAction, random-looking bytes). */
function fakeAction(i: number) {
  const bytes = (n: number, salt: number) => {
    const b = new Uint8Array(n);
    let x = (i * 2654435761 + salt) >>> 0;
    for (let k = 0; k < n; k++) {
      x = (x * 1103515245 + 12345) >>> 0;
      b[k] = x >>> 24;
    }
    return b;
  };
  return {
    type: 'submitProposal',
    actor: bytes(32, 1),
    payload: { job: `~01${i}`, title: `Logo for a coffee shop #${i}`, as: 'agency', connects: 16, boost: 0 },
    deps: bytes(32, 2),
    at: 1_790_000_000_000 + i * 1000,
    sig: bytes(64, 3),
  };
}

const keyOf = (i: number) => `action-${i.toString(36).padStart(8, '0')}-${'x'.repeat(32)}`;

interface Opened {
  doc: Y.Doc;
  map: Y.Map<unknown>;
  /** One action, in a transaction of its own (kept: handed to the keep too). */
  append(i: number): void;
  /** Resolves when everything written so far is in IndexedDB (stock: a read transaction queued after it). */
  saved(): Promise<void>;
  close(): Promise<void>;
  rows(): Promise<number>;
  writes(): number;
  /** The store's own longest synchronous task after opening (DocStore only). */
  ownLongestTask(): number | null;
  /** Where opening spent its time (DocStore only). */
  openSplit(): { readMs: number; applyMs: number } | null;
}

function idbCount(db: IDBDatabase, store: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = db.transaction(store, 'readonly').objectStore(store).count();
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Stock has no "saved" signal: a readonly transaction on the same store runs after its pending writes. */
function readBarrier(db: IDBDatabase): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('updates', 'readonly');
    tx.objectStore('updates').count();
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

async function open(kind: Kind, name: string, doc = new Y.Doc()): Promise<Opened> {
  const map = doc.getMap<unknown>('actions');
  if (kind === 'stock') {
    const p = new IndexeddbPersistence(name, doc);
    await p.whenSynced;
    let writes = 0;
    doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== p) writes++;
    });
    const db = p.db!;
    return {
      doc,
      map,
      append: (i) => map.set(keyOf(i), fakeAction(i)),
      saved: () => readBarrier(db),
      close: async () => {
        await readBarrier(db);
        await p.destroy();
      },
      rows: () => idbCount(db, 'updates'),
      writes: () => writes,
      ownLongestTask: () => null,
      openSplit: () => null,
    };
  }
  const store = await DocStore.open(name, doc, { durability: kind === 'strict' ? 'strict' : 'relaxed' });
  const keep =
    kind === 'kept' ? new Keep(area(), name, 'bench', await readKept(area(), name), Date.now) : null;
  // As the replica does: one listener takes each own append's update, and the log counts its actions
  // (Y.Map's size walks every entry: asking it per append made the keep look O(n) per action).
  let update: Uint8Array | null = null;
  if (keep)
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== store) update = u;
    });
  let actions = map.size;
  return {
    doc,
    map,
    append: (i) => {
      const clock = Y.getState(doc.store, doc.clientID);
      update = null;
      map.set(keyOf(i), fakeAction(i));
      actions++;
      if (!keep) return;
      keep.stored(store.storedStateVector, actions, false);
      if (update) keep.track({ id: keyOf(i), client: doc.clientID, clock, type: 'bench', at: i }, update);
    },
    saved: async () => {
      await Promise.all([store.saved(), keep?.saved()]);
    },
    close: async () => {
      await store.close();
      keep?.stored(store.storedStateVector, actions, false);
      await keep?.flush();
    },
    rows: async () => store.rowCount,
    writes: () => store.stats.writeTransactions,
    ownLongestTask: () => store.stats.longestTaskMs,
    openSplit: () => ({ readMs: store.stats.readMs, applyMs: store.stats.applyMs }),
  };
}

const longTasks: number[] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
} catch {
  // no Long Tasks API: longest task is reported as null
}

const api = {
  /** Writes `n` actions as one update (as a sync from the server delivers them) and closes. */
  async seed(kind: Kind, name: string, n: number): Promise<{ bytes: number }> {
    const doc = new Y.Doc();
    const map = doc.getMap('actions');
    doc.transact(() => {
      for (let i = 0; i < n; i++) map.set(keyOf(i), fakeAction(i));
    });
    const bytes = Y.encodeStateAsUpdate(doc).byteLength;
    const o = await open(kind, name, doc);
    await o.saved();
    await o.close();
    return { bytes };
  },

  /** Opens an existing database: time to a loaded doc, rows before/after, writes caused by opening. */
  async open(kind: Kind, name: string) {
    const before = await api.rowsIn(name);
    const t0 = performance.now();
    const o = await open(kind, name);
    const ms = performance.now() - t0;
    const size = o.map.size;
    await o.saved();
    const after = await o.rows();
    const split = o.openSplit();
    await o.close();
    return { ms, size, rowsBefore: before, rowsAfter: after, wroteOnOpen: after !== before, split };
  },

  rowsIn(name: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => {
        const db = r.result;
        const n = db.objectStoreNames.contains('updates') ? idbCount(db, 'updates') : Promise.resolve(0);
        n.then((c) => {
          db.close();
          resolve(c);
        }, reject);
      };
      r.onerror = () => reject(r.error);
    });
  },

  /** `count` appends in a row (one Yjs transaction each), then the time until all are saved. */
  async appendBurst(kind: Kind, name: string, count: number, from = 1_000_000) {
    const o = await open(kind, name);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) o.append(from + i);
    const appendMs = performance.now() - t0;
    await o.saved();
    const ms = performance.now() - t0;
    await o.close();
    return { ms, appendMs, savedAfterMs: ms - appendMs };
  },

  /** One append at a time: latency of the "saved" signal, and the longest task seen meanwhile. */
  async appendLatency(kind: Kind, name: string, count: number, from = 2_000_000) {
    const o = await open(kind, name);
    // Long-task entries are delivered asynchronously: let the open's own task arrive before counting.
    await new Promise((r) => setTimeout(r, 100));
    longTasks.length = 0;
    const lat: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      o.append(from + i);
      await o.saved();
      lat.push(performance.now() - t0);
    }
    // y-indexeddb trims 1 s after the 500th row: give it the chance to, so its task is seen.
    await new Promise((r) => setTimeout(r, 1500));
    await o.saved();
    const rows = await o.rows();
    const ownLongestTask = o.ownLongestTask();
    await o.close();
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
    return {
      p50: q(0.5),
      p95: q(0.95),
      max: lat[lat.length - 1]!,
      longestTask: longTasks.length ? Math.max(...longTasks) : 0,
      ownLongestTask,
      rows,
    };
  },

  /** For durability trials: append one action and resolve when it counts as saved. */
  async appendOne(kind: Kind, name: string, i: number, waitSaved: boolean) {
    const o = await open(kind, name);
    (globalThis as { keep?: unknown }).keep = o;
    o.append(i);
    if (waitSaved) await o.saved();
    return performance.now();
  },

  /**
   * Appends actions `from`, `from + 1`, … one after another, each waiting for "saved", and reports each
   * saved one to the test (`reportSaved`, exposed by it) without waiting: the test kills or closes the
   * browser while later appends and their transactions (and compactions) are still in flight.
   */
  async appendStream(kind: Kind, name: string, from: number, count: number): Promise<void> {
    const o = await open(kind, name);
    (globalThis as { keep?: unknown }).keep = o;
    const report = (globalThis as { reportSaved?: (i: number) => unknown }).reportSaved;
    for (let i = from; i < from + count; i++) {
      o.append(i);
      await o.saved();
      void report?.(i);
    }
  },

  /** Which actions of the ranges `[first, last]` (each reported saved by an earlier trial) are missing. */
  async missing(kind: Kind, name: string, ranges: [number, number][]): Promise<number[]> {
    const o = await open(kind, name);
    const out: number[] = [];
    for (const [first, last] of ranges)
      for (let i = first; i <= last; i++) if (!o.map.has(keyOf(i))) out.push(i);
    await o.close();
    return out;
  },

  /** How many rows the store holds (0: the database is empty, as after the browser discarded it). */
  async storedRows(kind: Kind, name: string): Promise<number> {
    const o = await open(kind, name);
    const rows = await o.rows();
    await o.close();
    return rows;
  },

  /**
   * Opens the store as the replica does with its keep (`kept`): what IndexedDB lacks of the kept actions is
   * written back (recovery.ts), then which actions of `ranges` are missing. `wiped`: IndexedDB held no row
   * while the keep said it had stored data.
   */
  async recoverAndCheck(name: string, ranges: [number, number][]) {
    const doc = new Y.Doc();
    const store = await DocStore.open(name, doc);
    const rowsAtOpen = store.rowCount;
    // chrome.storage.local can itself fail to read after a kill ("Invalid JSON": a value its LevelDB gave
    // back damaged, seen once in 40 SIGKILL trials on 2 Dec). Chromium restores a corrupt store on such an
    // error, so it is asked again once; the replica's open treats an unreadable keep as none.
    let keepError: string | null = null;
    const kept = await readKept(area(), name).catch(async (e) => {
      keepError = String(e instanceof Error ? e.message : e);
      return readKept(area(), name).catch(() => null);
    });
    const map = doc.getMap<unknown>('actions');
    const plan = planRecovery(
      kept,
      { sv: Y.decodeStateVector(Y.encodeStateVector(doc)), has: (id) => map.has(id) },
      'bench',
      Date.now(),
    );
    applyRecovery(doc, plan);
    await store.saved();
    const missing: number[] = [];
    for (const [first, last] of ranges)
      for (let i = first; i <= last; i++) if (!map.has(keyOf(i))) missing.push(i);
    await store.close();
    return {
      missing,
      // Empty although earlier trials saved actions in it (whatever the keep says).
      wiped: rowsAtOpen === 0 && ranges.length > 0,
      keepError: keepError as string | null,
      keepReadOnRetry: keepError !== null && kept !== null,
      restored: plan.readd.length,
      notice: plan.notice !== null,
    };
  },

  /** The "server" acknowledges every action kept so far (the trials have none: the test plays it). */
  async ackAll(name: string): Promise<void> {
    const kept = await readKept(area(), name).catch(() => null);
    if (!kept) return;
    const doc = new Y.Doc();
    const store = await DocStore.open(name, doc);
    const keep = new Keep(area(), name, 'bench', kept, Date.now);
    keep.acknowledged(new Set(kept.own.map((r) => r.id)));
    keep.allAcknowledged();
    keep.stored(store.storedStateVector, doc.getMap('actions').size, true);
    await keep.saved();
    await store.close();
  },

  async drop(name: string): Promise<void> {
    await new Promise<void>((resolve) => {
      const r = indexedDB.deleteDatabase(name);
      r.onsuccess = r.onerror = r.onblocked = () => resolve();
    });
  },
};

(globalThis as { storageBench?: typeof api }).storageBench = api;
export type StorageBench = typeof api;
