// Ed25519 verification on the calling thread. core checks signatures through WebCrypto, whose Node
// implementation hands each verify to the libuv threadpool: measured here, the hop costs ~0.4 ms of
// latency per update and still ~0.15 ms of main-thread time, more than the verification itself
// (~0.13 ms with node:crypto). Both call OpenSSL's Ed25519, so results are identical; only Ed25519 public
// keys take this path, everything else goes to WebCrypto unchanged. Installed once per process by
// startSyncServer (server-side only: core stays the same code the browser runs).
import { KeyObject, verify } from 'node:crypto';

const keyObjects = new WeakMap<CryptoKey, KeyObject>();
let installed = false;

const isEd25519 = (algorithm: unknown): boolean =>
  algorithm === 'Ed25519' ||
  (typeof algorithm === 'object' &&
    algorithm !== null &&
    (algorithm as { name?: string }).name === 'Ed25519');

export function installSyncEd25519Verify(): void {
  if (installed) return;
  installed = true;
  const subtle = globalThis.crypto.subtle;
  const original = subtle.verify.bind(subtle);
  subtle.verify = ((
    algorithm: AlgorithmIdentifier,
    key: CryptoKey,
    signature: BufferSource,
    data: BufferSource,
  ) => {
    if (!isEd25519(algorithm) || key?.type !== 'public' || !isEd25519(key.algorithm)) {
      return original(algorithm, key, signature, data);
    }
    try {
      let object = keyObjects.get(key);
      if (!object) {
        object = KeyObject.from(key);
        keyObjects.set(key, object);
      }
      return Promise.resolve(
        verify(null, data as NodeJS.ArrayBufferView, object, signature as NodeJS.ArrayBufferView),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }) as typeof subtle.verify;
}
