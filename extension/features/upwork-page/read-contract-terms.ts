// A contract tile's rate (hourly) or price (fixed) from its terms block, in cents — read only for a business
// manager's own contracts page (contracts-facts.ts decides; D15: a plain member's page never reads it). Pure.
import type { ContractTerms } from '../../../core/lite.ts';
import type { ListedContract } from './read-contracts.ts';
import * as S from './work-selectors.ts';

/** core's bound on a figure in cents (core/schemas.ts `cents`): a larger one is no figure at all. */
const MAX_CENTS = 10_000_000_000;

/** "$1,250.50" in `text` → 125050 cents; null when there is none or it is out of bounds. */
export function dollarsIn(text: string): number | null {
  const m = S.CONTRACT_FIGURE_TEXT.exec(text);
  if (!m) return null;
  const cents = Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2] ?? 0);
  return Number.isSafeInteger(cents) && cents <= MAX_CENTS ? cents : null;
}

export function readContractTerms(contract: ListedContract): ContractTerms | null {
  if (!contract.kind) return null;
  const part = contract.kind === 'hourly' ? 'hourly-terms' : 'fixed-price-terms';
  const block = contract.tile.querySelector(S.contractPart(contract.id, part));
  const cents = dollarsIn(block?.textContent ?? '');
  if (cents === null) return null;
  return contract.kind === 'hourly'
    ? { kind: 'hourly', hourlyRate: cents }
    : { kind: 'fixed', amount: cents };
}
