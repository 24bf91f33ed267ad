// core's zod-free entry point: types and small pure helpers for content scripts and UI (no zod, no yjs).

export * from './activity-filter.ts';
// Types only: amounts.ts's runtime (and bytes.ts's tables) stays out of the content script's budget.
export type { AmountsView, AmountType, Figure } from './amounts.ts';
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
export { BOM, type Cell, csvField, csvText, isoInZone } from './csv.ts';
export * from './insights.ts';
export { movementsCsv, offersCsv, proposalsCsv } from './insights-csv.ts';
export { monthKey } from './month.ts';
export { refundKey } from './refund-key.ts';
export { VERDICTS, type VerdictCode } from './refusals.ts';
export * from './types.ts';
export { type WorkRow, workOnUpwork } from './work-on-upwork.ts';
