// The verifier the server injects into core (node:crypto, on the calling thread) gives exactly WebCrypto's
// answers, for valid, altered, foreign and malformed signatures and keys; and the global WebCrypto is left
// alone.
import { describe, expect, it } from 'vitest';
import {
  createAction,
  generateDeviceKey,
  makeSigner,
  toStored,
  verifyAction,
  verifySignature,
} from '../../core/index.ts';
import { verifyEd25519 } from '../../sync-server/ed25519.ts';
import { testServer } from './support/server.ts';
import { rng } from './support/wait.ts';

type Case = { publicKey: Uint8Array; sig: Uint8Array; data: Uint8Array };

describe('Ed25519 verification', () => {
  it('answers as WebCrypto does for valid, altered, foreign and malformed signatures and keys', async () => {
    const next = rng(7);
    const bytes = (n: number) => new Uint8Array(n).map(() => Math.floor(next() * 256));
    const cases: Case[] = [];
    for (let i = 0; i < 40; i++) {
      const signer = await makeSigner(await generateDeviceKey(crypto.subtle, false));
      const other = await makeSigner(await generateDeviceKey(crypto.subtle, false));
      const data = bytes(1 + Math.floor(next() * 400));
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
        // not a point on the curve, the all-zero key, a random key
        { publicKey: new Uint8Array(32).fill(255), sig, data },
        { publicKey: new Uint8Array(32), sig, data },
        { publicKey: bytes(32), sig, data },
        // wrong lengths
        { publicKey: signer.publicKey.subarray(0, 31), sig, data },
        { publicKey: new Uint8Array([...signer.publicKey, 0]), sig, data },
        { publicKey: signer.publicKey, sig: sig.subarray(0, 63), data },
        { publicKey: signer.publicKey, sig: new Uint8Array([...sig, 0]), data },
        { publicKey: signer.publicKey, sig: new Uint8Array(0), data },
        // an empty message, signed and not
        { publicKey: signer.publicKey, sig: await signer.sign(new Uint8Array(0)), data: new Uint8Array(0) },
        { publicKey: signer.publicKey, sig, data: new Uint8Array(0) },
      );
    }
    // a key or signature that is a view into a larger buffer (as lib0 hands them out of a message)
    const signer = await makeSigner(await generateDeviceKey(crypto.subtle, false));
    const data = bytes(100);
    const sig = await signer.sign(data);
    const frame = new Uint8Array([9, ...signer.publicKey, ...sig, 9]);
    cases.push({ publicKey: frame.subarray(1, 33), sig: frame.subarray(33, 97), data });

    const webCrypto = await Promise.all(cases.map((c) => verifySignature(c.publicKey, c.sig, c.data)));
    const ours = cases.map((c) => verifyEd25519(c.publicKey, c.sig, c.data));
    expect(ours).toEqual(webCrypto);
    expect(webCrypto.filter(Boolean)).toHaveLength(81);
  });

  it('is what verifyAction uses when the server injects it, and WebCrypto stays untouched', async () => {
    const signer = await makeSigner(await generateDeviceKey(crypto.subtle, false));
    const made = await createAction('agency-ed-0001', signer, 'observeBalance', { balance: 3 }, [], 1_000);
    if (!made.ok) throw new Error(made.message);
    let calls = 0;
    const counting = (k: Uint8Array, s: Uint8Array, b: Uint8Array) => {
      calls++;
      return verifyEd25519(k, s, b);
    };
    const r = await verifyAction('agency-ed-0001', made.action.id, toStored(made.action), {
      verify: counting,
    });
    expect(r.ok).toBe(true);
    expect(calls).toBe(1);
    const forged = { ...toStored(made.action), sig: new Uint8Array(64).fill(1) };
    const bad = await verifyAction('agency-ed-0001', made.action.id, forged, { verify: verifyEd25519 });
    expect(bad.ok).toBe(false);
    // a running server leaves the process-wide WebCrypto as the platform made it
    const server = await testServer();
    try {
      expect(Object.hasOwn(crypto.subtle, 'verify')).toBe(false);
      expect(crypto.subtle.verify).toBe(Object.getPrototypeOf(crypto.subtle).verify);
    } finally {
      await server.dispose();
    }
  });
});
