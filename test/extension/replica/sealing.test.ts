// @vitest-environment node
// The envelope amounts travel in (D15): it opens for its recipients only, only where it was written (its
// agency, type and clear payload), and what it holds is read like any signer's input.
import { describe, expect, it } from 'vitest';
import { type Payloads, SEAL, toBase64Url } from '../../../core/index.ts';
import {
  generateSealKey,
  openSealed,
  prepareSealed,
  sealAmounts,
  sealPublicKey,
} from '../../../extension/replica/sealing.ts';

const AGENCY = 'agency-1';
const payout = (contract: string): Payloads['recordPayout'] => ({ contract });

async function keys(n: number) {
  const pairs = await Promise.all(Array.from({ length: n }, () => generateSealKey()));
  const raws = await Promise.all(pairs.map((p) => sealPublicKey(p)));
  return { pairs, raws, ids: raws.map(toBase64Url) };
}

describe('D15: sealed amounts', () => {
  it('D15: every recipient opens the envelope; a browser it was not sealed to cannot', async () => {
    const { pairs, raws } = await keys(3);
    const sealed = await sealAmounts(
      AGENCY,
      'recordPayout',
      payout('c1'),
      { amount: 12_345 },
      raws.slice(0, 2),
    );
    const p = { ...payout('c1'), sealed };
    expect(await openSealed(AGENCY, 'recordPayout', p, pairs[0]!)).toEqual({ amount: 12_345 });
    expect(await openSealed(AGENCY, 'recordPayout', p, pairs[1]!)).toEqual({ amount: 12_345 });
    expect(await openSealed(AGENCY, 'recordPayout', p, pairs[2]!)).toBeNull();
  });

  it('D15: an envelope copied onto another contract, type or agency does not open', async () => {
    const { pairs, raws } = await keys(1);
    const sealed = await sealAmounts(AGENCY, 'recordPayout', payout('c1'), { amount: 500 }, raws);
    expect(await openSealed(AGENCY, 'recordPayout', { ...payout('c2'), sealed }, pairs[0]!)).toBeNull();
    expect(await openSealed('agency-2', 'recordPayout', { ...payout('c1'), sealed }, pairs[0]!)).toBeNull();
    const milestone = { contract: 'c1', milestone: 'm', title: 'T', sealed };
    expect(await openSealed(AGENCY, 'submitMilestone', milestone, pairs[0]!)).toBeNull();
  });

  it('D15: a changed byte anywhere in the envelope makes it unreadable, not wrong', async () => {
    const { pairs, raws } = await keys(1);
    const sealed = await sealAmounts(AGENCY, 'recordPayout', payout('c1'), { amount: 500 }, raws);
    for (const field of ['box', 'iv', 'epk'] as const) {
      const bad = { ...sealed, [field]: sealed[field].slice() };
      bad[field][0]! ^= 1;
      expect(
        await openSealed(AGENCY, 'recordPayout', { ...payout('c1'), sealed: bad }, pairs[0]!),
      ).toBeNull();
    }
    const to = sealed.to.slice();
    to[SEAL.KEY_BYTES]! ^= 1; // the wrapped key
    expect(
      await openSealed(AGENCY, 'recordPayout', { ...payout('c1'), sealed: { ...sealed, to } }, pairs[0]!),
    ).toBeNull();
  });

  it('D15: what an envelope holds is bounded like a payload: a rate inside a fixed-price offer is not read', async () => {
    const { pairs, raws } = await keys(1);
    const offer = {
      offer: 'o',
      job: '~01',
      title: 'T',
      as: 'agency',
      member: 'm'.repeat(43),
      kind: 'fixed',
    } as const;
    const sealed = await sealAmounts(AGENCY, 'receiveOffer', offer, { hourlyRate: 4500 }, raws);
    expect(await openSealed(AGENCY, 'receiveOffer', { ...offer, sealed }, pairs[0]!)).toBeNull();
  });

  it('D15: envelopes are one size whatever the amount, so their length tells nothing', async () => {
    const { raws } = await keys(2);
    const small = await sealAmounts(AGENCY, 'recordPayout', payout('c'), { amount: 1 }, raws);
    const large = await sealAmounts(AGENCY, 'recordPayout', payout('c'), { amount: 10_000_000_000 }, raws);
    expect(small.box.length).toBe(SEAL.BOX_BYTES);
    expect(large.box.length).toBe(SEAL.BOX_BYTES);
    expect(small.to.length).toBe(2 * SEAL.RECIPIENT_BYTES);
  });

  it('D15: a clear amount asked for moves into the envelope; when it cannot be sealed it is left out, flagged with why', async () => {
    const { pairs, ids } = await keys(1);
    const asked = { contract: 'c1', terms: { kind: 'hourly', hourlyRate: 6000 } } as const;
    const prepared = await prepareSealed(AGENCY, 'editContractTerms', asked, ids);
    if (!prepared.ok) throw new Error(prepared.message);
    expect(prepared.payload).toMatchObject({ contract: 'c1', kind: 'hourly' });
    expect(prepared.payload).not.toHaveProperty('terms');
    expect(prepared.notSealed).toBeUndefined();
    expect(await openSealed(AGENCY, 'editContractTerms', prepared.payload, pairs[0]!)).toEqual({
      hourlyRate: 6000,
    });
    // No manager's browser to seal to: recorded without the rate, never with it in the clear.
    expect(await prepareSealed(AGENCY, 'editContractTerms', asked, [])).toEqual({
      ok: true,
      payload: { contract: 'c1', kind: 'hourly' },
      notSealed: expect.objectContaining({
        code: 'AMOUNT_NOT_SEALED',
        rule: 'D15',
        cause: 'NO_MANAGER_BROWSER',
      }),
    });
    // More managers' browsers than an envelope holds (24).
    expect(SEAL.MAX_RECIPIENTS).toBe(24);
    const many = await keys(SEAL.MAX_RECIPIENTS + 1);
    const tooMany = await prepareSealed(AGENCY, 'editContractTerms', asked, many.ids);
    expect(tooMany).toEqual({
      ok: true,
      payload: { contract: 'c1', kind: 'hourly' },
      notSealed: expect.objectContaining({ code: 'AMOUNT_NOT_SEALED', cause: 'TOO_MANY_MANAGER_BROWSERS' }),
    });
    expect(tooMany.ok && tooMany.notSealed?.message).toMatch(/at most 24 .* has 25/);
    // WebCrypto failing: a typed cause, not the exception's text.
    const failing = new Proxy(crypto.subtle, {
      get: (t, k) =>
        k === 'encrypt'
          ? () =>
              Promise.reject(
                new DOMException('The operation failed for an operation-specific reason', 'OperationError'),
              )
          : Reflect.get(t, k, t),
    });
    const failed = await prepareSealed(
      AGENCY,
      'recordPayout',
      { contract: 'c1', amount: 5000 },
      ids,
      failing,
    );
    expect(failed).toEqual({
      ok: true,
      payload: { contract: 'c1' },
      notSealed: expect.objectContaining({ code: 'AMOUNT_NOT_SEALED', cause: 'SEAL_FAILED' }),
    });
    expect(failed.ok && failed.notSealed?.message).not.toMatch(/operation-specific/);
    // nothing to seal: passes as it is (an offer recorded from a page without terms)
    const bare = { contract: 'c1', kind: 'fixed' } as const;
    expect(await prepareSealed(AGENCY, 'editContractTerms', bare, [])).toEqual({ ok: true, payload: bare });
  });

  it('D15: a low-order X25519 key (an all-zero secret anyone can compute) is never sealed to', async () => {
    await expect(
      sealAmounts(AGENCY, 'recordPayout', payout('c1'), { amount: 1 }, [new Uint8Array(32)]),
    ).rejects.toThrow();
  });
});
