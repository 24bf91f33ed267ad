// Ed25519 through WebCrypto: the same code in Chromium, Firefox (≥ 129) and Node (≥ 22).
import { toBase64Url } from './bytes.ts';

const ED25519 = { name: 'Ed25519' } as const;

/** A device key pair. Key generation needs randomness, so the caller passes its SubtleCrypto in. */
export async function generateDeviceKey(subtle: SubtleCrypto, extractable = false): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ED25519, extractable, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function exportPublicKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

export interface Signer {
  publicKey: Uint8Array;
  /** base64url of the public key: the actor field of every action this signer writes. */
  keyId: string;
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

export async function makeSigner(pair: CryptoKeyPair): Promise<Signer> {
  const publicKey = await exportPublicKey(pair.publicKey);
  return {
    publicKey,
    keyId: toBase64Url(publicKey),
    sign: async (bytes) =>
      new Uint8Array(await crypto.subtle.sign(ED25519, pair.privateKey, bytes as Uint8Array<ArrayBuffer>)),
  };
}

// Importing a raw key costs about as much as a verify; agencies have few keys, so keep them.
const importedKeys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 10_000;

function importPublicKey(publicKey: Uint8Array): Promise<CryptoKey> {
  const id = toBase64Url(publicKey);
  let key = importedKeys.get(id);
  if (!key) {
    if (importedKeys.size >= MAX_CACHED_KEYS) importedKeys.clear();
    key = crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, ED25519, true, ['verify']);
    importedKeys.set(id, key);
    key.catch(() => importedKeys.delete(id));
  }
  return key;
}

/**
 * What checks an Ed25519 signature. core uses WebCrypto (verifySignature) unless a caller injects another
 * implementation of the same check (the server passes node:crypto's, which answers on the calling thread).
 * Never throws: a malformed key or signature is simply not valid.
 */
export type VerifySignature = (
  publicKey: Uint8Array,
  signature: Uint8Array,
  bytes: Uint8Array,
) => Promise<boolean> | boolean;

/** WebCrypto's Ed25519 check. Never throws: a malformed key or signature is simply not valid. */
export async function verifySignature(
  publicKey: Uint8Array,
  signature: Uint8Array,
  bytes: Uint8Array,
): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = await importPublicKey(publicKey);
    return await crypto.subtle.verify(
      ED25519,
      key,
      signature as Uint8Array<ArrayBuffer>,
      bytes as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}
