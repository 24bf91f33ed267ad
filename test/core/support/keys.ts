// Deterministic Ed25519 signers for tests: the key comes from a seed, so action ids — and with them the
// log's tie-breaks — are the same on every run. Signing goes through node:crypto synchronously (~17k/s
// here, five times WebCrypto's sequential rate); the signatures are ordinary Ed25519 and verify with
// core's WebCrypto verifySignature.
import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { fromBase64Url, type Signer, sha256, toBase64Url, utf8 } from '../../../core/index.ts';

// RFC 8410: a PKCS #8 Ed25519 private key is this fixed prefix followed by the 32-byte seed.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function pkcs8FromSeed(seed: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([PKCS8_PREFIX, seed]));
}

export function seededSigner(label: string): Signer {
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.from(pkcs8FromSeed(sha256(utf8(`test-key:${label}`)))),
    format: 'der',
    type: 'pkcs8',
  });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  const publicKey = fromBase64Url(jwk.x)!;
  return {
    publicKey,
    keyId: toBase64Url(publicKey),
    sign: async (bytes) => new Uint8Array(sign(null, bytes, privateKey)),
  };
}
