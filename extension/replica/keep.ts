// A small durable record of each replica kept outside IndexedDB (chrome.storage.local in the background):
// what the replica had stored (its state vector and how many actions) and the member's own signed actions
// the server has not acknowledged yet, each as the Yjs update that wrote it.
//
// Why: Chromium 156 sometimes discards an extension's whole IndexedDB after its process is killed (about one
// SIGKILL in 40 in test/e2e/storage.test.ts; every database of the origin found empty, nothing partial).
// What the server holds comes back by syncing; what only this browser held would be gone. chrome.storage.local
// is a LevelDB of its own (the profile's "Local Extension Settings"), so one store losing its files leaves
// the other. recovery.ts reads this record when a replica opens.
//
// Bounded: at most KEEP_LIMIT.actions unacknowledged actions and KEEP_LIMIT.bytes of their updates. Beyond
// that an action is still saved in IndexedDB, only not kept here; `notKept` counts them (cleared once the
// server acknowledged everything) so a recovery can say some may be gone. The oldest are the ones kept:
// a newer action depends on older ones (its signed deps and its Yjs clock), never the other way round.
import { fromBase64Url, toBase64Url } from '../../core/index.ts';
import type { Waiter } from './doc-store.ts';

// Base64url as core writes it: lib0's base64 picks Node's Buffer in a service worker (no window there).
const toBase64 = toBase64Url;
const fromBase64 = (text: string): Uint8Array => {
  const bytes = fromBase64Url(text);
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
  v: 1;
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
  /** The kept actions (each in an entry of its own, so a write never carries the others), oldest first. */
  own: KeptRef[];
  /** The update of each kept action, by id (a ref whose update is missing is left out). */
  updates: Map<string, Uint8Array>;
}

export const headKey = (agencyId: string) => `keep:${agencyId}`;
export const entryKey = (agencyId: string, id: string) => `keep:${agencyId}:${id}`;

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
    typeof r.bytes === 'number'
  );
}

function isHead(x: unknown, agencyId: string): x is KeptHead {
  const h = x as KeptHead;
  return (
    !!h &&
    h.v === 1 &&
    h.agencyId === agencyId &&
    typeof h.keyId === 'string' &&
    typeof h.actions === 'number' &&
    typeof h.sv === 'string' &&
    typeof h.notKept === 'number'
  );
}

/** The record kept for `agencyId`, or null when there is none (or it is not one this version wrote). */
export async function readKept(area: KeepArea, agencyId: string): Promise<Kept | null> {
  const all = await area.get(null);
  const head = all[headKey(agencyId)];
  if (!isHead(head, agencyId)) return null;
  const prefix = entryKey(agencyId, '');
  const own: KeptRef[] = [];
  const updates = new Map<string, Uint8Array>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(prefix)) continue;
    const e = value as { ref?: unknown; update?: unknown };
    const bytes = typeof e?.update === 'string' ? fromBase64Url(e.update) : null;
    if (!isRef(e?.ref) || !bytes || entryKey(agencyId, e.ref.id) !== key) continue;
    own.push(e.ref);
    updates.set(e.ref.id, bytes);
  }
  own.sort((x, y) => x.at - y.at || x.client - y.client || x.clock - y.clock);
  return { head, own, updates };
}

export async function removeKept(area: KeepArea, agencyId: string): Promise<void> {
  const prefix = entryKey(agencyId, '');
  const keys = Object.keys(await area.get(null)).filter(
    (k) => k === headKey(agencyId) || k.startsWith(prefix),
  );
  if (keys.length) await area.remove(keys);
}

/**
 * The replica's side of the keep. Changes made in one tick go out in one `set` (the head and the new
 * entries together, one LevelDB batch), and while one is in flight the next ones queue (group commit, as
 * DocStore does), so a burst of appends costs a few writes.
 */
export class Keep {
  readonly agencyId: string;
  readonly head: KeptHead;
  /** The kept actions by id (the head does not list them: each write stays the size of what changed). */
  readonly own = new Map<string, KeptRef>();
  private readonly area: KeepArea;
  private toSet = new Map<string, { ref: KeptRef; update: string }>();
  private toRemove = new Set<string>();
  private changed = 0;
  private written = 0;
  private waiters: Waiter[] = [];
  private inFlight = false;
  private scheduled = false;
  private keptBytes: number;
  /** Writes done (tests and the bench count them). */
  writes = 0;

  private readonly now: () => number;

  constructor(area: KeepArea, agencyId: string, keyId: string, from: Kept | null, now: () => number) {
    this.area = area;
    this.now = now;
    this.agencyId = agencyId;
    this.head = from
      ? { ...from.head, keyId }
      : { v: 1, agencyId, keyId, actions: 0, sv: '', notKept: 0, at: now() };
    for (const r of from?.own ?? []) this.own.set(r.id, r);
    this.keptBytes = [...this.own.values()].reduce((n, r) => n + r.bytes, 0);
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
    const kept = { ...ref, bytes: update.byteLength };
    this.own.set(ref.id, kept);
    this.keptBytes += update.byteLength;
    const key = entryKey(this.agencyId, ref.id);
    this.toSet.set(key, { ref: kept, update: toBase64(update) });
    this.toRemove.delete(key);
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
      const key = entryKey(this.agencyId, id);
      this.toSet.delete(key);
      this.toRemove.add(key);
      this.keptBytes -= r.bytes;
      changed = true;
    }
    if (changed) this.touch();
  }

  /** Everything this browser wrote is acknowledged: nothing beyond the bound can be missing any more. */
  allAcknowledged(): void {
    if (this.own.size || !this.head.notKept) return;
    this.head.notKept = 0;
    this.touch();
  }

  /** What IndexedDB has committed: its state vector and the number of actions (written with the next change). */
  stored(sv: Uint8Array, actions: number, write: boolean): void {
    const s = toBase64(sv);
    if (s === this.head.sv && actions === this.head.actions) return;
    this.head.sv = s;
    this.head.actions = actions;
    if (write) this.touch();
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
    const set = Object.fromEntries(this.toSet);
    const remove = [...this.toRemove];
    this.toSet = new Map();
    this.toRemove = new Set();
    let error: unknown = null;
    try {
      this.writes++;
      // Entries and the head in one set (one batch): the head never names an entry that is not there.
      await this.area.set({ ...set, [headKey(this.agencyId)]: { ...this.head, at: this.now() } });
      if (remove.length) await this.area.remove(remove);
      this.written = upTo;
    } catch (e) {
      error = e;
      // Kept for the next attempt (the next change retries).
      for (const [k, v] of Object.entries(set)) if (!this.toSet.has(k)) this.toSet.set(k, v);
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
