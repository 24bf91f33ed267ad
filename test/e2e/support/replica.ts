// Reads what a browser's replica has durably stored, without opening any of the extension's pages: the
// background service worker's IndexedDB, read from inside the worker (Playwright evaluates there), then
// decoded here with yjs. Every replica store in this project (and stock y-indexeddb) keeps the doc as rows
// of Yjs updates in an object store named "updates", one database per agency.
import * as Y from 'yjs';
import type { Profile } from './browser.ts';

export interface StoredEntry {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/** Every action in every agency doc this profile's background has persisted. */
export async function persistedActions(profile: Profile): Promise<StoredEntry[]> {
  const worker = profile.worker() ?? (await profile.ctx.waitForEvent('serviceworker', { timeout: 60_000 }));
  const dbs = await worker.evaluate(async () => {
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out: number[][][] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        // Never create or upgrade anything: a database without the store is skipped below.
        r.onupgradeneeded = () => r.transaction?.abort();
      }).catch(() => null);
      if (!db) continue;
      if (db.objectStoreNames.contains('updates')) {
        const rows = await req(db.transaction('updates', 'readonly').objectStore('updates').getAll());
        out.push(
          rows
            .map((v) => (v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null))
            .filter((v): v is Uint8Array => v !== null)
            .map((v) => Array.from(v)),
        );
      }
      db.close();
    }
    return out;
  });
  const entries: StoredEntry[] = [];
  for (const rows of dbs) {
    const doc = new Y.Doc();
    for (const row of rows) Y.applyUpdate(doc, Uint8Array.from(row));
    doc.getMap('actions').forEach((value, id) => {
      const v = value as { type?: unknown; payload?: unknown };
      if (typeof v.type === 'string')
        entries.push({ id, type: v.type, payload: (v.payload ?? {}) as Record<string, unknown> });
    });
    doc.destroy();
  }
  return entries;
}

/** Polls the persisted replica until `match` holds; the figure that matters is printed by the caller. */
export async function waitForPersisted(
  profile: Profile,
  match: (entries: StoredEntry[]) => boolean,
  timeoutMs = 90_000,
): Promise<StoredEntry[]> {
  const deadline = Date.now() + timeoutMs;
  let last: StoredEntry[] = [];
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      last = await persistedActions(profile);
      if (match(last)) return last;
    } catch (e) {
      // The worker may be between a stop and an alarm's wake-up; the next round finds the new one.
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${profile.name}'s replica did not reach the expected state in ${timeoutMs} ms; it holds ${last.length} actions: ${last.map((e) => e.type).join(', ')}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
  );
}
