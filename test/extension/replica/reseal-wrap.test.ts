// @vitest-environment node
// The wrap a re-seal carries (D15): an envelope's content key, wrapped again to a manager's browser that was
// not among its recipients. It opens the amount for that browser only, only on the action it names and in
// its agency, and nothing in it is the amount (its size never depends on one).
import { describe, expect, it } from 'vitest';
import { type Payloads, SEAL } from '../../../core/index.ts';
import {
  envelopeKey,
  generateSealKey,
  openWithKey,
  sealAmounts,
  sealPublicKey,
  unwrapResealed,
  wrapForReseal,
} from '../../../extension/replica/sealing.ts';

const AGENCY = 'agency-1';
const ACTION = 'A'.repeat(43);
const payout: Payloads['recordPayout'] = { contract: 'c1' };

async function setting() {
  const [olga, ann, bob] = await Promise.all([generateSealKey(), generateSealKey(), generateSealKey()]);
  const sealed = await sealAmounts(AGENCY, 'recordPayout', payout, { amount: 12_345 }, [
    await sealPublicKey(olga),
  ]);
  const cek = (await envelopeKey(sealed, olga))!;
  const box = await wrapForReseal(AGENCY, ACTION, cek, await sealPublicKey(ann));
  return { olga, ann, bob, sealed, box };
}

describe('D15: re-sealed content keys', () => {
  it('D15: the new manager’s browser opens the amount through the wrap; it was not in the envelope', async () => {
    const { ann, sealed, box } = await setting();
    expect(await envelopeKey(sealed, ann)).toBeNull();
    const cek = await unwrapResealed(AGENCY, box, ann);
    expect(cek).not.toBeNull();
    expect(await openWithKey(AGENCY, 'recordPayout', { ...payout, sealed }, cek!)).toEqual({
      amount: 12_345,
    });
    expect(box.epk.length).toBe(SEAL.KEY_BYTES);
    expect(box.wrapped.length).toBe(SEAL.WRAPPED_BYTES);
  });

  it('D15: the wrap opens for no other browser, on no other action, in no other agency', async () => {
    const { olga, ann, bob, box } = await setting();
    expect(await unwrapResealed(AGENCY, box, bob)).toBeNull();
    expect(await unwrapResealed(AGENCY, box, olga)).toBeNull();
    expect(await unwrapResealed(AGENCY, { ...box, action: 'B'.repeat(43) }, ann)).toBeNull();
    expect(await unwrapResealed('agency-2', box, ann)).toBeNull();
    const flipped = box.wrapped.slice();
    flipped[0]! ^= 1;
    expect(await unwrapResealed(AGENCY, { ...box, wrapped: flipped }, ann)).toBeNull();
  });

  it('D15: a content key put on another envelope opens nothing (the box is bound to its own key)', async () => {
    const { ann, box } = await setting();
    const other = await sealAmounts(AGENCY, 'recordPayout', payout, { amount: 99_999 }, [
      await sealPublicKey(await generateSealKey()),
    ]);
    const cek = (await unwrapResealed(AGENCY, box, ann))!;
    expect(await openWithKey(AGENCY, 'recordPayout', { ...payout, sealed: other }, cek)).toBeNull();
  });
});
