// D15: the verdicts after which an action's amount is read by no one, even where its envelope opens: stated in
// the clear once sealing was in force, or stated by someone who was not a business manager (its sealer is its
// signer, so anyone could otherwise plant a figure the managers read as the agency's). Zod-free: amounts.ts
// (UI code) reads it.
import type { VerdictCode } from './refusals.ts';

export const UNTRUSTED_AMOUNT_CODES: ReadonlySet<string> = new Set<VerdictCode>([
  'AMOUNT_IN_THE_CLEAR',
  'AMOUNT_NOT_BY_MANAGER',
]);
