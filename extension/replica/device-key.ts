// This browser's device key: an Ed25519 key pair generated non-extractable (the private key can sign but
// never be read out, not even by the extension) and kept in the extension's IndexedDB, which stores
// CryptoKey objects as they are. One key per browser profile; a member adds it to their membership from
// another browser, or a business manager does (core's addDeviceKey). Where the browser has storage buckets,
// the key lives in one of its own, apart from the replicas' IndexedDB (loadKeptDeviceKey says why). Beside it, the browser's X25519 key
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

/** The key pairs as stored in `idb`, or null when it holds no device key (never creates one). */
async function readKeys(
  idb: IDBFactory,
): Promise<{ pair: CryptoKeyPair; seal: CryptoKeyPair | null } | null> {
  const db = await openDatabase(idb, DB_NAME, 1, (d) => {
    if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
  });
  try {
    const tx = db.transaction(STORE, 'readonly');
    const [pair, seal] = await Promise.all([
      req(tx.objectStore(STORE).get(KEY)) as Promise<CryptoKeyPair | undefined>,
      req(tx.objectStore(STORE).get(SEAL_KEY)) as Promise<CryptoKeyPair | undefined>,
    ]);
    return pair ? { pair, seal: seal ?? null } : null;
  } finally {
    db.close();
  }
}

async function copyKeys(idb: IDBFactory, key: DeviceKey): Promise<void> {
  const db = await openDatabase(idb, DB_NAME, 1, (d) => {
    if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
  });
  try {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put(key.pair, KEY);
    if (key.seal) tx.objectStore(STORE).put(key.seal, SEAL_KEY);
    await done(tx);
  } finally {
    db.close();
  }
}

/** What `navigator.storageBuckets` offers (Chromium 122+; absent in Firefox). */
interface StorageBucketsLike {
  open(
    name: string,
    options?: { durability?: 'strict' | 'relaxed'; persisted?: boolean },
  ): Promise<{
    indexedDB: IDBFactory;
  }>;
}

/**
 * The device key, kept in a storage bucket of its own where the browser has them: a bucket is a LevelDB
 * apart from the default one that holds the replicas, so Chromium discarding the extension's IndexedDB after
 * a crash (issue 13; replica/keep.ts) leaves this browser its key, and with it its membership. A key kept
 * only in the default IndexedDB (before this, and in Firefox) is copied into the bucket and stays there too.
 */
export async function loadKeptDeviceKey(
  buckets: StorageBucketsLike | null | undefined,
  idb: IDBFactory = globalThis.indexedDB,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<DeviceKey> {
  const bucket = buckets
    ? await buckets
        .open('device-key', { durability: 'strict' })
        .then((b) => b.indexedDB)
        .catch(() => null)
    : null;
  const kept = bucket ? await readKeys(bucket).catch(() => null) : null;
  if (kept) return { pair: kept.pair, signer: await makeSigner(kept.pair), seal: kept.seal };
  const key = await loadDeviceKey(idb, subtle);
  if (bucket)
    await copyKeys(bucket, key).catch((e) => console.error('device key: cannot copy it to its bucket', e));
  return key;
}

let cached: Promise<DeviceKey> | null = null;

/** The device key, loaded (or created) once per worker start. */
export function deviceKey(): Promise<DeviceKey> {
  const buckets = (globalThis.navigator as { storageBuckets?: StorageBucketsLike } | undefined)
    ?.storageBuckets;
  cached ??= loadKeptDeviceKey(buckets).catch((e) => {
    cached = null;
    throw e;
  });
  return cached;
}
