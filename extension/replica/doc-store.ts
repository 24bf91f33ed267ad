// Persistence of a Y.Doc in IndexedDB, written for the replica instead of stock y-indexeddb, whose weak
// points the storage benchmark (test/bench/storage.bench.ts) measures side by side with this:
// - y-indexeddb#31: it appends the whole encoded doc as a new row on every load and trims only once 500
//   rows pile up, after a local edit, by encoding the whole doc again (hundreds of ms on a big log).
//   Here opening writes nothing, and compaction only ever merges the newest small rows into chunks of at
//   most `chunkBytes`, so no persistence task grows with the size of the log.
// - y-indexeddb#36: its writes are not awaited, so an update can be lost when the browser closes right after
//   it. Here every update is written in a transaction this store waits for; `saved()` resolves when the
//   transaction that holds everything emitted so far has completed.
// Updates emitted in the same tick share one transaction, and while one is in flight the next ones queue
// (group commit), so a burst of appends costs a few transactions, not one each.
import * as Y from 'yjs';
import { done, openDatabase, req } from './idb.ts';

const UPDATES = 'updates';
const META = 'meta';
const DB_VERSION = 1;

export interface DocStoreOptions {
  /** Defaults to globalThis.indexedDB. */
  idb?: IDBFactory;
  /** Rows are merged into chunks of at most this many bytes. */
  chunkBytes?: number;
  /** How many small rows may pile up at the end before they are merged. */
  mergeAfter?: number;
  /** Meta keys read in the same transaction as the updates when opening. */
  metaKeys?: string[];
  /**
   * Durability of the write transactions "saved" waits for. 'relaxed' (default): `complete` fires once the
   * commit reached the operating system, which survives the browser being closed or killed (not a power
   * cut). 'strict' also waits for the disk (an fsync per batch); the storage benchmark measures its cost.
   */
  durability?: IDBTransactionDurability;
}

export interface DocStoreStats {
  rowsAtOpen: number;
  bytesAtOpen: number;
  readMs: number;
  applyMs: number;
  /** Transactions that wrote updates or meta (compactions are counted apart). */
  writeTransactions: number;
  updatesWritten: number;
  compactions: number;
  /** The longest synchronous piece of work this store did after opening (merging rows), in ms. */
  longestTaskMs: number;
  /** How long the last write of each meta key took to produce and clone, in ms. */
  metaMs: Map<string, number>;
}

interface Row {
  key: number;
  bytes: number;
}

/** A caller waiting for write `seq` to be committed (group commit: here and in keep.ts). */
export interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class DocStore {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly stats: DocStoreStats = {
    rowsAtOpen: 0,
    bytesAtOpen: 0,
    readMs: 0,
    applyMs: 0,
    writeTransactions: 0,
    updatesWritten: 0,
    compactions: 0,
    longestTaskMs: 0,
    metaMs: new Map(),
  };
  /** Meta values read when opening (see DocStoreOptions.metaKeys). */
  readonly meta = new Map<string, unknown>();
  private readonly db: IDBDatabase;
  private readonly chunkBytes: number;
  private readonly mergeAfter: number;
  private readonly durability: IDBTransactionDurability;
  private rows: Row[] = [];
  /** The doc's state vector as of the last batch written (what the database already holds). */
  private batchedSv: Uint8Array = Y.encodeStateVector(new Y.Doc());
  private queue: Uint8Array[] = [];
  private metaQueue = new Map<string, () => unknown>();
  private received = 0;
  private committed = 0;
  private waiters: Waiter[] = [];
  private inFlight = false;
  private scheduled = false;
  private closed = false;
  private failure: unknown = null;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    this.queue.push(update);
    this.received++;
    this.schedule();
  };

  private constructor(name: string, doc: Y.Doc, db: IDBDatabase, opts: DocStoreOptions) {
    this.name = name;
    this.doc = doc;
    this.db = db;
    this.chunkBytes = opts.chunkBytes ?? 128 * 1024;
    this.mergeAfter = opts.mergeAfter ?? 64;
    this.durability = opts.durability ?? 'relaxed';
  }

  /**
   * Loads everything stored under `name` into `doc` (in one Yjs transaction whose origin is the store, so
   * it is not written back) and starts persisting the doc's updates. Opening writes nothing unless the
   * doc already held content the database lacks.
   */
  static async open(name: string, doc: Y.Doc, opts: DocStoreOptions = {}): Promise<DocStore> {
    const factory = opts.idb ?? globalThis.indexedDB;
    const db = await openDatabase(factory, name, DB_VERSION, (d) => {
      if (!d.objectStoreNames.contains(UPDATES)) d.createObjectStore(UPDATES, { autoIncrement: true });
      if (!d.objectStoreNames.contains(META)) d.createObjectStore(META);
    });
    const store = new DocStore(name, doc, db, opts);
    const hadContent = doc.store.clients.size > 0;
    const t0 = performance.now();
    const tx = db.transaction([UPDATES, META], 'readonly');
    const updates = tx.objectStore(UPDATES);
    const keysP = req(updates.getAllKeys());
    const valuesP = req(updates.getAll());
    const metaKeys = opts.metaKeys ?? [];
    const metaP = Promise.all(metaKeys.map((k) => req(tx.objectStore(META).get(k))));
    const [keys, values, metaValues] = await Promise.all([keysP, valuesP, metaP, done(tx)]);
    metaKeys.forEach((k, i) => {
      if (metaValues[i] !== undefined) store.meta.set(k, metaValues[i]);
    });
    const t1 = performance.now();
    store.rows = keys.map((key, i) => ({ key: key as number, bytes: (values[i] as Uint8Array).byteLength }));
    store.stats.rowsAtOpen = store.rows.length;
    store.stats.bytesAtOpen = store.rows.reduce((n, r) => n + r.bytes, 0);
    Y.transact(
      doc,
      () => {
        for (const u of values as Uint8Array[]) Y.applyUpdate(doc, u);
      },
      store,
    );
    store.stats.readMs = t1 - t0;
    store.stats.applyMs = performance.now() - t1;
    // With content the database lacks, the first batch must hold the whole doc: diff from nothing.
    if (!hadContent) store.batchedSv = Y.encodeStateVector(doc);
    doc.on('update', store.onUpdate);
    if (hadContent) store.onUpdate(Y.encodeStateAsUpdate(doc), null);
    return store;
  }

  /** Reads meta values without loading the doc (a restarted worker's first answer comes from these). */
  static async peekMeta(
    name: string,
    keys: string[],
    idb: IDBFactory = globalThis.indexedDB,
  ): Promise<Map<string, unknown>> {
    const db = await openDatabase(idb, name, DB_VERSION, (d) => {
      if (!d.objectStoreNames.contains(UPDATES)) d.createObjectStore(UPDATES, { autoIncrement: true });
      if (!d.objectStoreNames.contains(META)) d.createObjectStore(META);
    });
    try {
      const tx = db.transaction(META, 'readonly');
      const values = await Promise.all(keys.map((k) => req(tx.objectStore(META).get(k))));
      const out = new Map<string, unknown>();
      keys.forEach((k, i) => {
        if (values[i] !== undefined) out.set(k, values[i]);
      });
      return out;
    } finally {
      db.close();
    }
  }

  static delete(name: string, idb: IDBFactory = globalThis.indexedDB): Promise<void> {
    return new Promise((resolve, reject) => {
      const r = idb.deleteDatabase(name);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error);
    });
  }

  /** Writes (doc updates and meta values) not in IndexedDB yet. */
  get unsaved(): number {
    return this.received - this.committed;
  }

  /** The doc's state vector as of the last committed batch: never ahead of what the database holds. */
  get storedStateVector(): Uint8Array {
    return this.batchedSv;
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** Resolves once every update the doc emitted (and every meta value set) before this call is stored. */
  saved(): Promise<void> {
    if (this.committed >= this.received) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.received, resolve, reject }));
  }

  /**
   * Writes a meta value in the same transaction as the next batch of updates, so it never runs ahead of
   * the doc on disk. `produce` is called when the transaction is built (values are cloned right then).
   */
  setMeta(key: string, produce: () => unknown): void {
    this.metaQueue.set(key, produce);
    this.received++;
    this.schedule();
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    const tx = this.db.transaction(META, 'readonly');
    return (await req(tx.objectStore(META).get(key))) as T | undefined;
  }

  /** Stops persisting after what is queued is written, and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.doc.off('update', this.onUpdate);
    try {
      await this.saved();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.closed) return;
    if (!this.queue.length && !this.metaQueue.size) return;
    this.inFlight = true;
    const batch = this.queue;
    const meta = this.metaQueue;
    this.queue = [];
    this.metaQueue = new Map();
    const upTo = this.received;
    const svAfter = Y.encodeStateVector(this.doc);
    const added: Row[] = [];
    try {
      // Relaxed durability (the default): the commit reaches the operating system before `complete` fires
      // (it survives the browser being closed or killed), without an fsync per append.
      const tx = this.db.transaction([UPDATES, META], 'readwrite', { durability: this.durability });
      const updates = tx.objectStore(UPDATES);
      // One row per batch: IndexedDB pays per row (1,000 rows took ~160 ms in Chromium). The row is the doc's
      // diff since the last batch, which holds exactly the batch's structs (every update the doc emits is
      // queued here); encoding it costs ~5× less than Y.mergeUpdates decoding and re-encoding the batch.
      const rows =
        batch.length > 1 ? [this.timed(() => Y.encodeStateAsUpdate(this.doc, this.batchedSv))] : batch;
      for (const u of rows) {
        const r = updates.add(u);
        r.onsuccess = () => added.push({ key: r.result as number, bytes: u.byteLength });
      }
      for (const [key, produce] of meta) {
        const t = performance.now();
        tx.objectStore(META).put(produce(), key); // the value is cloned here, synchronously
        this.stats.metaMs.set(key, performance.now() - t);
      }
      this.stats.writeTransactions++;
      await done(tx);
      this.stats.updatesWritten += batch.length;
      this.rows.push(...added);
      this.batchedSv = svAfter;
      this.committed = upTo;
      this.failure = null;
      this.settleWaiters(null);
      await this.maybeCompact();
    } catch (e) {
      // Keep what failed (quota, a closing database) for the next attempt; tell whoever waits.
      this.queue = [...batch, ...this.queue];
      for (const [k, p] of meta) if (!this.metaQueue.has(k)) this.metaQueue.set(k, p);
      this.failure = e;
      this.settleWaiters(e, upTo);
    } finally {
      this.inFlight = false;
    }
    if (!this.failure && (this.queue.length || this.metaQueue.size)) this.schedule();
  }

  private timed<T>(work: () => T): T {
    const t = performance.now();
    const result = work();
    this.stats.longestTaskMs = Math.max(this.stats.longestTaskMs, performance.now() - t);
    return result;
  }

  private settleWaiters(error: unknown, upTo = this.committed): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq > upTo) still.push(w);
      else if (error) w.reject(error);
      else w.resolve();
    }
    this.waiters = still;
  }

  /** Merges the newest small rows into one when enough have piled up (never the whole doc). */
  private async maybeCompact(): Promise<void> {
    let start = this.rows.length;
    let bytes = 0;
    while (start > 0 && bytes + this.rows[start - 1]!.bytes <= this.chunkBytes) {
      bytes += this.rows[start - 1]!.bytes;
      start--;
    }
    const run = this.rows.slice(start);
    if (run.length < this.mergeAfter) return;
    const first = run[0]!.key;
    const last = run[run.length - 1]!.key;
    const tx = this.db.transaction(UPDATES, 'readwrite', { durability: this.durability });
    const store = tx.objectStore(UPDATES);
    let merged = 0;
    const read = store.getAll(IDBKeyRange.bound(first, last));
    read.onsuccess = () => {
      const update = this.timed(() => Y.mergeUpdates(read.result as Uint8Array[]));
      merged = update.byteLength;
      store.put(update, first);
      store.delete(IDBKeyRange.bound(first, last, true, false));
    };
    await done(tx);
    this.stats.compactions++;
    this.rows.splice(start, run.length, { key: first, bytes: merged });
  }
}
