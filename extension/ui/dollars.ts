// Reading a dollar amount a business manager typed (offers, terms, milestones, payouts): whole cents, or a
// sentence saying what is wrong with it. A field never goes silent on bad input, and the typed text stays
// in the field for the member to correct.

/** The largest amount core signs: 10,000,000,000 cents (core/schemas.ts `cents`), $100,000,000.00. */
export const MAX_CENTS = 10_000_000_000;

export type DollarsResult = { ok: true; cents: number } | { ok: false; message: string };

// Digits with an optional group separator every three, and at most one decimal point: "1250", "1,250.5",
// ".75". A leading "$" is the currency the field is in already.
const NUMBER = /^(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?$/;

export function parseDollars(typed: string): DollarsResult {
  const raw = typed.trim().replace(/^\$\s*/, '');
  if (raw === '') return { ok: false, message: 'Enter an amount in dollars, for example 1250 or 1250.50.' };
  const negative = /^[-−]/.test(raw);
  const unsigned = negative
    ? raw
        .slice(1)
        .trim()
        .replace(/^\$\s*/, '')
    : raw;
  if (!NUMBER.test(unsigned) || !/\d/.test(unsigned))
    return {
      ok: false,
      message: `“${typed.trim()}” is not an amount: use digits and at most one decimal point, for example 1250.50.`,
    };
  if (negative) return { ok: false, message: 'An amount cannot be negative.' };
  const [whole = '', fraction = ''] = unsigned.replaceAll(',', '').split('.');
  if (fraction.length > 2) return { ok: false, message: 'Use at most two decimal places (cents).' };
  if (whole.replace(/^0+/, '').length > 9)
    return { ok: false, message: 'An amount can be at most $100,000,000.00.' };
  // Whole cents from the digits themselves: 0.1 + 0.2 never enters it.
  const cents = Number(whole || '0') * 100 + Number(fraction.padEnd(2, '0'));
  if (cents > MAX_CENTS) return { ok: false, message: 'An amount can be at most $100,000,000.00.' };
  if (cents === 0) return { ok: false, message: 'An amount must be more than $0.00.' };
  return { ok: true, cents };
}
