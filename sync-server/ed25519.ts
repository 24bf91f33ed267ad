// Ed25519 verification on the calling thread, injected into core (verifyAction's `verify` option) instead
// of core's WebCrypto default. Node's WebCrypto hands each verify to the libuv threadpool: measured here,
// the hop costs ~0.4 ms of latency per update and still ~0.15 ms of main-thread time, more than the
// verification itself (~0.13 ms with node:crypto). Both call OpenSSL's Ed25519, so the answers are the
// same (test/sync-server/ed25519.test.ts compares them); an answer on the calling thread also lets the
// server bound how much verification one connection gets per event-loop turn (room.ts).
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { VerifySignature } from '../core/index.ts';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_CACHED_KEYS = 10_000;

// Importing a key costs about as much as a verify; agencies have few keys, so keep them (bounded).
const keys = new Map<string, KeyObject | null>();

function keyObject(publicKey: Uint8Array): KeyObject | null {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64');
  let key = keys.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({
        key: Buffer.concat([SPKI_PREFIX, publicKey]),
        format: 'der',
        type: 'spki',
      });
    } catch {
      key = null;
    }
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** core's VerifySignature with node:crypto: never throws, malformed keys and signatures are not valid. */
export const verifyEd25519: VerifySignature = (publicKey, signature, bytes) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = keyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
};
