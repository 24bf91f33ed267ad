// core's zod-free entry point: types and small pure helpers for content scripts and UI (no zod, no yjs).

export {
  AMOUNT_TYPES,
  type AmountsView,
  type AmountType,
  amountsFit,
  amountsView,
  carriesAmount,
  clearAmounts,
  clearPart,
  type Figure,
  kindOf,
  managerSealKeys,
  sealContext,
  sealKeyId,
} from './amounts.ts';
export {
  type AgencySpendCheck,
  allowanceLeft,
  balanceOf,
  type ConnectsSummary,
  checkAgencySpend,
  connectsSummary,
  reservedIn,
  spentIn,
} from './connects.ts';
export { monthKey } from './month.ts';
export { VERDICTS, type VerdictCode } from './refusals.ts';
export * from './types.ts';
