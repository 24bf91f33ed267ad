// Invite keys. An invite is an Ed25519 key pair: the manager's grant records only the public half, and the
// code handed to the new member carries the private half. Joining is signed twice: by the joining
// browser's own key (the action's actor) and, as `proof`, by the invite key over the agency and that
// browser's key. Reading the log therefore gives nothing to reuse: a proof binds one browser to one invite.
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from './bytes.ts';
import type { Signer } from './keys.ts';

const JOIN_DOMAIN = utf8('agency-overlay/join/v2\0');
const ED25519 = { name: 'Ed25519' } as const;

/** Exactly the bytes an invite key signs to admit one browser key into one agency. */
export function joinProofBytes(agencyId: string, invite: Uint8Array, joinerKey: Uint8Array): Uint8Array {
  return concatBytes(JOIN_DOMAIN, utf8(`${agencyId}\0`), invite, joinerKey);
}

/** A fresh invite key: its public half for the grant, its PKCS #8 private half for the invite code. */
export async function createInviteKey(
  subtle: SubtleCrypto,
): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
  const pair = (await subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
    privateKey: new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey)),
  };
}

/** The invite key from the private half an invite code carries; null when the bytes are not one. */
export async function importInviteKey(subtle: SubtleCrypto, privateKey: Uint8Array): Promise<Signer | null> {
  try {
    const key = await subtle.importKey('pkcs8', privateKey as Uint8Array<ArrayBuffer>, ED25519, true, [
      'sign',
    ]);
    const jwk = await subtle.exportKey('jwk', key);
    const x = jwk.x ? fromBase64Url(jwk.x) : null;
    if (x?.length !== 32) return null;
    return {
      publicKey: x,
      keyId: toBase64Url(x),
      sign: async (bytes) =>
        new Uint8Array(await subtle.sign(ED25519, key, bytes as Uint8Array<ArrayBuffer>)),
    };
  } catch {
    return null;
  }
}

/** The `proof` of a joinAgency payload: the invite key admitting `joinerKey` into `agencyId`. */
export function signJoinProof(invite: Signer, agencyId: string, joinerKey: Uint8Array): Promise<Uint8Array> {
  return invite.sign(joinProofBytes(agencyId, invite.publicKey, joinerKey));
}
