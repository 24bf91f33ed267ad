// D15: Upwork hides rates, milestone amounts and payouts from plain agency members, and the server relays
// every action of an agency to every member. So an amount reaches the room only sealed to the business
// managers' browsers (core/amounts.ts, extension/replica/sealing.ts); an action that states one in the
// clear (0.2.0's shapes, which core still reads in old logs) is refused before it is stored or relayed.
// What an envelope holds the server cannot read, by design; whom it is sealed to is the sealer's choice
// (an honest browser seals to the managers its log knows).
import { type Action, clearAmounts } from '../core/index.ts';

export const CLEAR_AMOUNT_MESSAGE =
  'An amount (a rate, a milestone amount or a payout) was sent in the clear: amounts are sealed to the business managers (D15).';

/** The first action of `fresh` that states an amount in the clear, or null. */
export function amountInTheClear(fresh: readonly Action[]): Action | null {
  return fresh.find((a) => clearAmounts(a.type, a.payload) !== null) ?? null;
}
