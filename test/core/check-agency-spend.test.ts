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

  it('P1: a balance going below zero is an overdraft even inside an allowance', () => {
    expect(checkAgencySpend({ balance: 10, reserved: 20, allowanceLeft: 20, cost: 16 }).overdraft).toBe(true);
  });
});
