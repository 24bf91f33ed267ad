// core's zod-free entry point: types and small pure helpers for content scripts and UI (no zod, no yjs).
export {
  allowanceLeft,
  balanceOf,
  type ConnectsSummary,
  connectsSummary,
  reservedIn,
  spentIn,
} from './connects.ts';
export { monthKey } from './month.ts';
export { VERDICTS, type VerdictCode } from './refusals.ts';
export * from './types.ts';
