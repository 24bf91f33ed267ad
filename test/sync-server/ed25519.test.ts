// The server's Ed25519 verification on the calling thread gives exactly WebCrypto's answers.
import { describe, expect, it } from 'vitest';
import { generateDeviceKey, makeSigner, verifySignature } from '../../core/index.ts';
import { installSyncEd25519Verify } from '../../sync-server/ed25519.ts';
import { rng } from './support/wait.ts';

describe('Ed25519 verification', () => {
  it('answers as WebCrypto does for valid, altered and foreign signatures', async () => {
    const next = rng(7);
    const cases: { publicKey: Uint8Array; sig: Uint8Array; data: Uint8Array }[] = [];
    for (let i = 0; i < 40; i++) {
      const signer = await makeSigner(await generateDeviceKey(crypto.subtle, false));
      const other = await makeSigner(await generateDeviceKey(crypto.subtle, false));
      const data = new Uint8Array(1 + Math.floor(next() * 400)).map(() => Math.floor(next() * 256));
      const sig = await signer.sign(data);
      const flipped = sig.slice();
      flipped[Math.floor(next() * 64)]! ^= 1 << Math.floor(next() * 8);
      const changed = data.slice();
      changed[0]! ^= 1;
      cases.push(
        { publicKey: signer.publicKey, sig, data },
        { publicKey: signer.publicKey, sig: flipped, data },
        { publicKey: signer.publicKey, sig, data: changed },
        { publicKey: other.publicKey, sig, data },
        { publicKey: new Uint8Array(32).fill(255), sig, data },
      );
    }
    const before = await Promise.all(cases.map((c) => verifySignature(c.publicKey, c.sig, c.data)));
    installSyncEd25519Verify();
    const after = await Promise.all(cases.map((c) => verifySignature(c.publicKey, c.sig, c.data)));
    expect(after).toEqual(before);
    expect(before.filter(Boolean)).toHaveLength(40);
  });

  it('leaves other algorithms to WebCrypto', async () => {
    installSyncEd25519Verify();
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const data = new Uint8Array([1, 2, 3]);
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, sig, data)).toBe(
      true,
    );
  });
});
