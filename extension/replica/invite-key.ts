// The invite key a joining browser holds between pasting a code and its join landing on the server. The
// code carries the private half (PKCS #8); it is imported here as a non-extractable CryptoKey, which the
// replica may keep in IndexedDB (structured clone keeps CryptoKeys as they are) so a restarted worker can
// still prove the invite, and which nothing — not even the extension — can read back out. Once the join is
// acknowledged the replica erases it (replica.ts, markSynced).
import { fromBase64Url, importInviteKey, type Signer, toBase64Url } from '../../core/index.ts';

const ED25519 = { name: 'Ed25519' } as const;

/** An invite key as a replica keeps it: the private half non-extractable, the public half as bytes. */
export interface InviteKey {
  privateKey: CryptoKey;
  publicKey: Uint8Array;
}

/** The invite key from an invite code's `key` field; null when it is not an Ed25519 private key. */
export async function inviteKeyFromCode(
  key: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<InviteKey | null> {
  const pkcs8 = fromBase64Url(key);
  if (!pkcs8) return null;
  // core's import checks the bytes and gives the public half; the key kept is a second, sealed import.
  const checked = await importInviteKey(subtle, pkcs8);
  if (!checked) return null;
  const privateKey = await subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, ED25519, false, [
    'sign',
  ]);
  return { privateKey, publicKey: checked.publicKey };
}

/** Whether a value read back from storage is an InviteKey (older versions stored other shapes). */
export function isInviteKey(value: unknown): value is InviteKey {
  const v = value as Partial<InviteKey> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    v.privateKey instanceof CryptoKey &&
    v.publicKey instanceof Uint8Array &&
    v.publicKey.length === 32
  );
}

export function inviteSigner(key: InviteKey, subtle: SubtleCrypto = globalThis.crypto.subtle): Signer {
  return {
    publicKey: key.publicKey,
    keyId: toBase64Url(key.publicKey),
    sign: async (bytes) =>
      new Uint8Array(await subtle.sign(ED25519, key.privateKey, bytes as Uint8Array<ArrayBuffer>)),
  };
}
