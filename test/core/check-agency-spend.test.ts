import { describe, expect, it } from 'vitest';
import { checkAgencySpend } from '../../core/lite.ts';

// The same check flags a recorded proposal in derive and warns before Send in the overlay.
describe('checkAgencySpend', () => {
  it('P1: a spend without allowance beyond the unreserved balance is an overdraft', () => {
    expect(checkAgencySpend({ balance: 100, reserved: 90, allowanceLeft: null, cost: 16 })).toEqual({
      beyondAllowance: false,
      overdraft: true,
      outside: 16,
    });
    expect(checkAgencySpend({ balance: 100, reserved: 80, allowanceLeft: null, cost: 16 }).overdraft).toBe(
      false,
    );
  });

  it('P4: a spend inside the allowance is escrowed and never an overdraft of the unreserved pool', () => {
    expect(checkAgencySpend({ balance: 20, reserved: 20, allowanceLeft: 20, cost: 16 })).toEqual({
      beyondAllowance: false,
      overdraft: false,
      outside: 0,
    });
  });

  it('P4: the part beyond the allowance is flagged, and P1 too when the pool cannot cover it', () => {
    expect(checkAgencySpend({ balance: 30, reserved: 20, allowanceLeft: 20, cost: 24 })).toEqual({
      beyondAllowance: true,
      overdraft: false,
      outside: 4,
    });
    expect(checkAgencySpend({ balance: 22, reserved: 20, allowanceLeft: 20, cost: 24 }).overdraft).toBe(true);
  });

  // This test used to say the opposite ("an overdraft even inside an allowance"): issue 9, item 1.
  it('D1: a spend inside what is left of the allowance is never an overdraft, whatever the balance', () => {
    expect(checkAgencySpend({ balance: 10, reserved: 20, allowanceLeft: 20, cost: 16 })).toEqual({
      beyondAllowance: false,
      overdraft: false,
      outside: 0,
    });
    expect(checkAgencySpend({ balance: -5, reserved: 30, allowanceLeft: 30, cost: 30 }).overdraft).toBe(
      false,
    );
  });

  it('D1: only the part outside the allowance can overdraw, against the unreserved balance', () => {
    // 20 left of the allowance, 4 outside it, nothing unreserved: the 4 overdraw.
    expect(checkAgencySpend({ balance: 20, reserved: 20, allowanceLeft: 20, cost: 24 })).toEqual({
      beyondAllowance: true,
      overdraft: true,
      outside: 4,
    });
  });
});
