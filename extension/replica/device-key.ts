// This browser's device key: an Ed25519 key pair generated non-extractable (the private key can sign but
// never be read out, not even by the extension) and kept in the extension's IndexedDB, which stores
// CryptoKey objects as they are. One key per browser profile; a member adds it to their membership from
// another browser, or a business manager does (core's addDeviceKey). Beside it, the browser's X25519 key
// for amounts sealed to business managers (D15, sealing.ts), generated and kept the same way.
import { generateDeviceKey, makeSigner, type Signer } from '../../core/index.ts';
import { done, openDatabase, req } from './idb.ts';
import { generateSealKey } from './sealing.ts';

const DB_NAME = 'agency-overlay-device';
const STORE = 'keys';
const KEY = 'device';
const SEAL_KEY = 'seal';

export interface DeviceKey {
  pair: CryptoKeyPair;
  signer: Signer;
  /**
   * X25519: amounts are sealed to it while this browser's member is a business manager. Null where the
   * browser cannot make one: everything else works, and amounts are not readable in this browser.
   */
  seal: CryptoKeyPair | null;
}

/** The pair stored under `key`, created by `make` the first time (a racing start-up's pair wins). */
async function kept(
  db: IDBDatabase,
  key: string,
  make: () => Promise<CryptoKeyPair>,
): Promise<CryptoKeyPair> {
  const read = db.transaction(STORE, 'readonly');
  const pair = (await req(read.objectStore(STORE).get(key))) as CryptoKeyPair | undefined;
  if (pair) return pair;
  const fresh = await make();
  const write = db.transaction(STORE, 'readwrite');
  write.objectStore(STORE).add(fresh, key);
  await done(write).catch(() => {});
  const again = db.transaction(STORE, 'readonly');
  return (await req(again.objectStore(STORE).get(key))) as CryptoKeyPair;
}

export async function loadDeviceKey(
  idb: IDBFactory = globalThis.indexedDB,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<DeviceKey> {
  const db = await openDatabase(idb, DB_NAME, 1, (d) => {
    if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
  });
  try {
    const read = db.transaction(STORE, 'readonly');
    let pair = (await req(read.objectStore(STORE).get(KEY))) as CryptoKeyPair | undefined;
    if (!pair) {
      const fresh = await generateDeviceKey(subtle, false);
      // `add`, not `put`: if another start-up raced us, its key wins and we read it back.
      const write = db.transaction(STORE, 'readwrite');
      write.objectStore(STORE).add(fresh, KEY);
      await done(write).catch(() => {});
      const again = db.transaction(STORE, 'readonly');
      pair = (await req(again.objectStore(STORE).get(KEY))) as CryptoKeyPair;
    }
    const seal = await kept(db, SEAL_KEY, () => generateSealKey(subtle)).catch((e) => {
      console.error('this browser cannot make an X25519 key; amounts stay unreadable here', e);
      return null;
    });
    return { pair, signer: await makeSigner(pair), seal };
  } finally {
    db.close();
  }
}

let cached: Promise<DeviceKey> | null = null;

/** The device key, loaded (or created) once per worker start. */
export function deviceKey(): Promise<DeviceKey> {
  cached ??= loadDeviceKey().catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}
