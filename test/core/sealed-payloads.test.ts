// D15 at the schema: an envelope's parts have one size each and its recipients are bounded; the clear part
// of amount-bearing actions still reads 0.2.0's shapes (amounts in the clear), which the server refuses new.
import { describe, expect, it } from 'vitest';
import { clearAmounts, clearPart, PayloadSchemas, SEAL } from '../../core/index.ts';

const envelope = (
  recipients: number,
  over: Partial<Record<'epk' | 'iv' | 'box' | 'to', Uint8Array>> = {},
) => ({
  epk: new Uint8Array(32).fill(1),
  iv: new Uint8Array(12),
  box: new Uint8Array(64),
  to: (() => {
    const to = new Uint8Array(recipients * 80);
    for (let i = 0; i < recipients; i++) to[i * 80] = i + 1; // distinct keys
    return to;
  })(),
  ...over,
});

describe('D15: sealed payloads', () => {
  it('D15: an envelope names 1 to 24 recipients, each once, of 80 bytes each', () => {
    const ok = (sealed: unknown) => PayloadSchemas.recordPayout.safeParse({ contract: 'c', sealed }).success;
    expect(ok(envelope(1))).toBe(true);
    expect(ok(envelope(SEAL.MAX_RECIPIENTS))).toBe(true);
    expect(SEAL.MAX_RECIPIENTS).toBe(24);
    expect(ok(envelope(25))).toBe(false);
    expect(ok(envelope(0))).toBe(false);
    expect(ok(envelope(1, { to: new Uint8Array(81) }))).toBe(false);
    expect(ok(envelope(2, { to: new Uint8Array(160) }))).toBe(false); // the same key twice
    expect(ok(envelope(1, { box: new Uint8Array(65) }))).toBe(false); // one size, whatever the amount
    expect(ok(envelope(1, { iv: new Uint8Array(16) }))).toBe(false);
    expect(ok({ ...envelope(1), extra: 1 })).toBe(false);
  });

  it('D15: contract terms say their kind, in either shape, and the two must agree', () => {
    const terms = PayloadSchemas.editContractTerms;
    expect(terms.safeParse({ contract: 'c', kind: 'hourly' }).success).toBe(true);
    expect(terms.safeParse({ contract: 'c' }).success).toBe(false);
    expect(
      terms.safeParse({ contract: 'c', kind: 'fixed', terms: { kind: 'hourly', hourlyRate: 1 } }).success,
    ).toBe(false);
    // 0.2.0's shape still verifies (old logs keep deriving as before)
    expect(terms.safeParse({ contract: 'c', terms: { kind: 'fixed', amount: 9 } }).success).toBe(true);
  });

  it('D15: clearAmounts finds every amount 0.2.0 wrote in the clear, and clearPart drops it', () => {
    expect(clearAmounts('recordPayout', { contract: 'c', amount: 7 })).toEqual({ amount: 7 });
    expect(clearAmounts('submitMilestone', { contract: 'c', milestone: 'm', title: 't', amount: 8 })).toEqual(
      {
        amount: 8,
      },
    );
    expect(
      clearAmounts('editContractTerms', { contract: 'c', terms: { kind: 'hourly', hourlyRate: 9 } }),
    ).toEqual({
      hourlyRate: 9,
    });
    expect(clearAmounts('recordPayout', { contract: 'c' })).toBeNull();
    expect(clearAmounts('submitProposal', { connects: 4 })).toBeNull();
    expect(
      clearPart('editContractTerms', { contract: 'c', terms: { kind: 'hourly', hourlyRate: 9 } }),
    ).toEqual({
      contract: 'c',
      kind: 'hourly',
    });
    expect(clearPart('recordPayout', { contract: 'c', amount: 5, sealed: envelope(1) })).toEqual({
      contract: 'c',
    });
  });
});
