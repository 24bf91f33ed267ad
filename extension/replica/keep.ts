// A small durable record of each replica kept outside IndexedDB (chrome.storage.local in the background):
// what the replica had stored (its state vector and how many actions) and the member's own signed actions
// the server has not acknowledged yet, each as the Yjs update that wrote it.
//
// Why: Chromium 156 sometimes discards an extension's whole IndexedDB after its process is killed (5 SIGKILLs
// in 400 in test/e2e/storage.test.ts's trials; the whole database, never a part). The cause, from Chromium's
// logs and the files a killed browser left: a kill between the two writes of one LevelDB log record (header,
// then payload) leaves a header without its payload; the next launch reads that as the log's end and, with
// LevelDB's `reuse_logs`, appends after it; the launch after that reads the old header's length over the new
// records, fails on their checksum ("Corruption: checksum mismatch", `paranoid_checks`), and Chromium deletes
// the database and starts it empty (google/leveldb#1287, not fixed upstream). Nothing a page does avoids it.
// What the server holds comes back by syncing; what only this browser held would be gone. chrome.storage.local
// is a LevelDB of its own (the profile's "Local Extension Settings"), so one store losing its files leaves
// the other. recovery.ts reads this record when a replica opens.
//
// Bounded: at most KEEP_LIMIT.actions unacknowledged actions and KEEP_LIMIT.bytes of their updates. Beyond
// that an action is still saved in IndexedDB, only not kept here; `notKept` counts them (cleared once the
// server acknowledged everything) so a recovery can say some may be gone. The oldest are the ones kept:
// a newer action depends on older ones (its signed deps and its Yjs clock), never the other way round.
//
// Stored as a head (constant size) and one entry per write ("batch"): the actions kept in one group commit,
// their updates concatenated and encoded once. A write carries the head and the new batch only, so a burst of
// 1,000 appends is one entry, not 1,000 keys (chrome.storage.local reads each key's old value to report the
// change, and converts each value on its own). A batch is written again only when the server acknowledged a
// part of it (its remaining actions), and removed once it acknowledged all of it.
import { fromBase64Url, toBase64Url } from '../../core/index.ts';
import type { Waiter } from './doc-store.ts';

// Base64url (lib0's base64 picks Node's Buffer in a service worker: no window there). The browsers' own
// (Uint8Array.prototype.toBase64, Chromium 140+, Firefox 133+) where there is one: a batch of 1,000 actions
// is ~300 KB, which core's string-building encoder takes tens of ms for; core's elsewhere (Node in tests).
interface NativeBase64 {
  toBase64?: (o: { alphabet: 'base64url'; omitPadding: boolean }) => string;
}
interface NativeFromBase64 {
  fromBase64?: (s: string, o: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array;
}
const toBase64 = (bytes: Uint8Array): string => {
  const native = (bytes as NativeBase64).toBase64;
  return native ? native.call(bytes, { alphabet: 'base64url', omitPadding: true }) : toBase64Url(bytes);
};
/** null for anything that is not base64url. */
const readBase64 = (text: string): Uint8Array | null => {
  const native = (Uint8Array as NativeFromBase64).fromBase64;
  if (!native) return fromBase64Url(text);
  try {
    return native.call(Uint8Array, text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
  } catch {
    return null;
  }
};
const fromBase64 = (text: string): Uint8Array => {
  const bytes = readBase64(text);
  if (!bytes) throw new Error('not base64url');
  return bytes;
};

export const KEEP_LIMIT = { actions: 500, bytes: 2 * 1024 * 1024 } as const;

/** The part of browser.storage.local the keep uses (a fake in unit tests). */
export interface KeepArea {
  /** `null`: every item (the keep's entries are found by their key's prefix). */
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** One of the member's own actions the server has not acknowledged: where its Yjs item is, what it is. */
export interface KeptRef {
  id: string;
  client: number;
  clock: number;
  type: string;
  at: number;
  /** Bytes of its update (counted against KEEP_LIMIT.bytes). */
  bytes: number;
}

export interface KeptHead {
  v: 2;
  agencyId: string;
  /** This browser's key when it was written: a different key now means the browser lost it too. */
  keyId: string;
  /** Actions the replica held when IndexedDB last committed. */
  actions: number;
  /** The doc's state vector as IndexedDB last committed it (base64): never ahead of what was stored. */
  sv: string;
  /** Own unacknowledged actions beyond the bound: saved in IndexedDB, not kept here. */
  notKept: number;
  at: number;
}

export interface Kept {
  head: KeptHead;
  /** The kept actions, oldest first. */
  own: KeptRef[];
  /** The update of each kept action, by id (a ref whose update is missing is left out). */
  updates: Map<string, Uint8Array>;
  /** Which stored batch holds each kept action (its number), so acknowledging it can shrink or remove it. */
  batchOf: Map<string, number>;
}

/** A batch as stored: the refs of the actions kept in one write and their updates, concatenated in that order. */
interface StoredBatch {
  refs: KeptRef[];
  data: string;
}

export const headKey = (agencyId: string) => `keep:${agencyId}`;
// Action ids are base64url (no ':'), so no id of the version before batches can read as a batch key.
const batchPrefix = (agencyId: string) => `keep:${agencyId}:batch:`;
export const batchKey = (agencyId: string, n: number) => `${batchPrefix(agencyId)}${n}`;

export const encodeSv = (sv: Uint8Array) => toBase64(sv);
export const decodeSv = (s: string) => fromBase64(s);

function isRef(x: unknown): x is KeptRef {
  const r = x as KeptRef;
  return (
    !!r &&
    typeof r.id === 'string' &&
    Number.isSafeInteger(r.client) &&
    Number.isSafeInteger(r.clock) &&
    typeof r.type === 'string' &&
    typeof r.at === 'number' &&
    Number.isSafeInteger(r.bytes) &&
    r.bytes >= 0
  );
}

function isHead(x: unknown, agencyId: string): x is KeptHead {
  const h = x as KeptHead;
  return (
    !!h &&
    h.v === 2 &&
    h.agencyId === agencyId &&
    typeof h.keyId === 'string' &&
    typeof h.actions === 'number' &&
    typeof h.sv === 'string' &&
    typeof h.notKept === 'number'
  );
}

/** The refs and updates of a stored batch, or null when it is not one this version wrote whole. */
function readBatch(value: unknown): { ref: KeptRef; update: Uint8Array }[] | null {
  const b = value as StoredBatch;
  if (!b || !Array.isArray(b.refs) || typeof b.data !== 'string' || !b.refs.every(isRef)) return null;
  const data = readBase64(b.data);
  if (!data || b.refs.reduce((n, r) => n + r.bytes, 0) !== data.byteLength) return null;
  let at = 0;
  return b.refs.map((ref) => {
    const update = data.slice(at, at + ref.bytes);
    at += ref.bytes;
    return { ref, update };
  });
}

/**
 * What is stored under an agency's prefix besides what readKept could read: every batch number present,
 * readable or not (new batches are numbered past them, so a write never overwrites one), and a head this
 * version cannot read (set aside under its own key before a new head is written, never dropped).
 */
export interface KeepFound {
  taken: number[];
  unreadableHead?: unknown;
}

/** The record kept for `agencyId` (null when there is none, or no head this version can read), and what else is there. */
export async function readKeep(
  area: KeepArea,
  agencyId: string,
): Promise<{ kept: Kept | null; found: KeepFound }> {
  const all = await area.get(null);
  const head = all[headKey(agencyId)];
  const prefix = batchPrefix(agencyId);
  const taken: number[] = [];
  const own: KeptRef[] = [];
  const updates = new Map<string, Uint8Array>();
  const batchOf = new Map<string, number>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    const n = Number(key.slice(prefix.length));
    if (!Number.isSafeInteger(n) || n < 0) continue;
    taken.push(n);
    // A batch that cannot be read is left out, and left where it is (what it held is in IndexedDB unless the
    // database was lost; a later version, or a person, may still read it).
    for (const { ref, update } of readBatch(value) ?? []) {
      if (batchOf.has(ref.id)) continue;
      own.push(ref);
      updates.set(ref.id, update);
      batchOf.set(ref.id, n);
    }
  }
  if (!isHead(head, agencyId))
    return { kept: null, found: head === undefined ? { taken } : { taken, unreadableHead: head } };
  own.sort((x, y) => x.at - y.at || x.client - y.client || x.clock - y.clock);
  return { kept: { head, own, updates, batchOf }, found: { taken } };
}

/** The record kept for `agencyId`, or null when there is none (or it is not one this version wrote). */
export async function readKept(area: KeepArea, agencyId: string): Promise<Kept | null> {
  return (await readKeep(area, agencyId)).kept;
}

/** Where a head this version cannot read is set aside (under the agency's prefix: removing the agency removes it). */
export const unreadableHeadKey = (agencyId: string, at: number) => `${headKey(agencyId)}:unreadable:${at}`;

export async function removeKept(area: KeepArea, agencyId: string): Promise<void> {
  // Every entry of the agency's record, batches and whatever an earlier version wrote under its prefix.
  const prefix = `${headKey(agencyId)}:`;
  const keys = Object.keys(await area.get(null)).filter(
    (k) => k === headKey(agencyId) || k.startsWith(prefix),
  );
  if (keys.length) await area.remove(keys);
}

/**
 * The replica's side of the keep. Changes made in one tick go out in one `set` (the head and the new batch
 * together, one LevelDB batch), and while one is in flight the next ones queue (group commit, as DocStore
 * does), so a burst of appends costs a few writes. Appending does no encoding: the actions of a write are
 * encoded once, when it is built.
 */
export class Keep {
  readonly agencyId: string;
  readonly head: KeptHead;
  /** The kept actions by id (the head does not list them: each write stays the size of what changed). */
  readonly own = new Map<string, KeptRef>();
  private readonly area: KeepArea;
  private readonly now: () => number;
  /** Each kept action's update, for the batch it goes in (and for writing a batch again with what remains). */
  private readonly updates = new Map<string, Uint8Array>();
  /** The actions each batch still holds, by batch number, and the batch each kept action is in. */
  private readonly batches = new Map<number, Set<string>>();
  private readonly batchOf = new Map<string, number>();
  private nextBatch = 0;
  /** Actions tracked since the last write began: the next write's new batch. */
  private pending: string[] = [];
  /** Batches whose stored value is not what they hold now (part acknowledged, or a write that failed). */
  private stale = new Set<number>();
  private toRemove = new Set<string>();
  /** IndexedDB's committed state vector as last told (encoded when written, not on every append). */
  private sv: Uint8Array | null = null;
  private changed = 0;
  private written = 0;
  private waiters: Waiter[] = [];
  private inFlight = false;
  private scheduled = false;
  private keptBytes = 0;
  /** A head this version could not read, set aside with the first write (never overwritten unread). */
  private asideHead: { key: string; value: unknown } | null = null;
  /** Writes done (tests and the bench count them). */
  writes = 0;

  constructor(
    area: KeepArea,
    agencyId: string,
    keyId: string,
    from: Kept | null,
    now: () => number,
    found: KeepFound = { taken: [] },
  ) {
    this.area = area;
    this.now = now;
    this.agencyId = agencyId;
    this.head = from
      ? { ...from.head, keyId }
      : { v: 2, agencyId, keyId, actions: 0, sv: '', notKept: 0, at: now() };
    for (const r of from?.own ?? []) {
      const update = from!.updates.get(r.id);
      const n = from!.batchOf.get(r.id);
      if (!update || n === undefined) continue;
      this.own.set(r.id, r);
      this.updates.set(r.id, update);
      this.inBatch(r.id, n);
      this.keptBytes += r.bytes;
    }
    // New batches are numbered past every batch stored, readable or not, and past the current time (in ms):
    // when the keep could not even be listed, a new batch still does not land on an old one's number.
    let next = now();
    for (const n of found.taken) next = Math.max(next, n + 1);
    for (const n of this.batches.keys()) next = Math.max(next, n + 1);
    this.nextBatch = next;
    if (found.unreadableHead !== undefined) {
      this.asideHead = { key: unreadableHeadKey(agencyId, now()), value: found.unreadableHead };
      this.touch();
    }
  }

  /** Keeps one of the member's own actions until the server acknowledges it (false: over the bound). */
  track(ref: Omit<KeptRef, 'bytes'>, update: Uint8Array): boolean {
    if (this.own.has(ref.id)) return true;
    const full = this.head.notKept > 0; // once one is left out, later ones would depend on it: leave them out too
    if (
      full ||
      this.own.size >= KEEP_LIMIT.actions ||
      this.keptBytes + update.byteLength > KEEP_LIMIT.bytes
    ) {
      this.head.notKept++;
      this.touch();
      return false;
    }
    this.own.set(ref.id, { ...ref, bytes: update.byteLength });
    this.updates.set(ref.id, update);
    this.keptBytes += update.byteLength;
    this.pending.push(ref.id);
    this.touch();
    return true;
  }

  /** The server holds these: they need not be kept any more. */
  acknowledged(ids: Set<string>): void {
    let changed = false;
    for (const id of ids) {
      const r = this.own.get(id);
      if (!r) continue;
      this.own.delete(id);
      this.updates.delete(id);
      this.keptBytes -= r.bytes;
      changed = true;
      const n = this.batchOf.get(id);
      this.batchOf.delete(id);
      // Not in a batch yet (tracked since the last write began): it simply stays out of the next one.
      if (n === undefined) continue;
      const batch = this.batches.get(n)!;
      batch.delete(id);
      if (batch.size) this.stale.add(n);
      else {
        this.batches.delete(n);
        this.stale.delete(n);
        this.toRemove.add(batchKey(this.agencyId, n));
      }
    }
    if (changed) this.touch();
  }

  /** The kept actions whose Yjs items a state vector the server acknowledged covers. */
  coveredBy(sv: Map<number, number>): Set<string> {
    const ids = new Set<string>();
    for (const r of this.own.values()) if ((sv.get(r.client) ?? 0) > r.clock) ids.add(r.id);
    return ids;
  }

  /** Everything this browser wrote is acknowledged: nothing beyond the bound can be missing any more. */
  allAcknowledged(): void {
    if (this.own.size || !this.head.notKept) return;
    this.head.notKept = 0;
    this.touch();
  }

  /** What IndexedDB has committed: its state vector and the number of actions (written with the next change). */
  stored(sv: Uint8Array, actions: number, write: boolean): void {
    // DocStore hands out the same array until its next commit: comparing it is enough, encoding waits for a write.
    if (sv === this.sv && actions === this.head.actions) return;
    this.sv = sv;
    // Told to write (an acknowledgement, an open): not when the record already says exactly this.
    const same = write && actions === this.head.actions && toBase64(sv) === this.head.sv;
    this.head.actions = actions;
    if (write && !same) this.touch();
  }

  /** Resolves once every change made before this call is written; rejects if that write failed. */
  saved(): Promise<void> {
    if (this.written >= this.changed) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq: this.changed, resolve, reject }));
  }

  /** Writes the head as it is now (e.g. when the replica closes). */
  flush(): Promise<void> {
    this.touch();
    return this.saved();
  }

  private inBatch(id: string, n: number): void {
    const batch = this.batches.get(n) ?? new Set<string>();
    this.batches.set(n, batch);
    batch.add(id);
    this.batchOf.set(id, n);
  }

  /** A batch's value: its actions' refs and their updates, concatenated and encoded once. */
  private encodeBatch(ids: Iterable<string>): StoredBatch {
    const refs: KeptRef[] = [];
    let size = 0;
    for (const id of ids) {
      const r = this.own.get(id)!;
      refs.push(r);
      size += r.bytes;
    }
    const data = new Uint8Array(size);
    let at = 0;
    for (const r of refs) {
      data.set(this.updates.get(r.id)!, at);
      at += r.bytes;
    }
    return { refs, data: toBase64(data) };
  }

  private touch(): void {
    this.changed++;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.write();
    });
  }

  private async write(): Promise<void> {
    if (this.inFlight || this.written >= this.changed) return;
    this.inFlight = true;
    const upTo = this.changed;
    // The new actions become a batch of their own; it is written (and written again) like any stale one.
    const fresh = this.pending.filter((id) => this.own.has(id));
    this.pending = [];
    if (fresh.length) {
      const n = this.nextBatch++;
      for (const id of fresh) this.inBatch(id, n);
      this.stale.add(n);
    }
    const stale = [...this.stale];
    const remove = [...this.toRemove];
    this.stale = new Set();
    this.toRemove = new Set();
    if (this.sv) this.head.sv = toBase64(this.sv);
    const items: Record<string, unknown> = {};
    const aside = this.asideHead;
    if (aside) items[aside.key] = aside.value;
    for (const n of stale) {
      const batch = this.batches.get(n);
      if (batch?.size) items[batchKey(this.agencyId, n)] = this.encodeBatch(batch);
    }
    let error: unknown = null;
    try {
      this.writes++;
      // Batches and the head in one set (one LevelDB batch): the head never runs ahead of what is kept.
      await this.area.set({ ...items, [headKey(this.agencyId)]: { ...this.head, at: this.now() } });
      if (remove.length) await this.area.remove(remove);
      if (aside === this.asideHead) this.asideHead = null;
      this.written = upTo;
    } catch (e) {
      error = e;
      // Kept for the next attempt (the next change retries); a batch acknowledged meanwhile is removed instead.
      for (const n of stale) if (this.batches.has(n)) this.stale.add(n);
      for (const k of remove) this.toRemove.add(k);
    } finally {
      this.inFlight = false;
    }
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq > upTo) still.push(w);
      else if (error) w.reject(error);
      else w.resolve();
    }
    this.waiters = still;
    if (!error && this.changed > this.written) this.schedule();
  }
}
