// Everything a profile's background keeps in IndexedDB, as bytes, for D15's byte search (amount-encodings.ts):
// a plain member's browser must hold no amount in any encoding, in any store.
import type { Profile } from './browser.ts';

/** Every row of every IndexedDB store of the profile's background: bytes as they are, anything else as JSON. */
export async function storedBytes(profile: Profile): Promise<Uint8Array[]> {
  const worker = profile.worker() ?? (await profile.ctx.waitForEvent('serviceworker', { timeout: 60_000 }));
  const rows = await worker.evaluate(async () => {
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out: number[][] = [];
    const text = (v: unknown) =>
      Array.from(
        new TextEncoder().encode(
          JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Array.from(x) : x)) ?? '',
        ),
      );
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        r.onupgradeneeded = () => r.transaction?.abort();
      }).catch(() => null);
      if (!db) continue;
      for (const store of Array.from(db.objectStoreNames)) {
        for (const v of await req(db.transaction(store, 'readonly').objectStore(store).getAll())) {
          if (v instanceof Uint8Array) out.push(Array.from(v));
          else if (v instanceof ArrayBuffer) out.push(Array.from(new Uint8Array(v)));
          else out.push(text(v));
        }
      }
      db.close();
    }
    return out;
  });
  return rows.map((r) => Uint8Array.from(r));
}
