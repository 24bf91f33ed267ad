// core's zod-free entry point: types and small pure helpers for content scripts and UI (no zod, no yjs).
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
export { refundKey } from './refund-key.ts';
export { VERDICTS, type VerdictCode } from './refusals.ts';
export * from './types.ts';
