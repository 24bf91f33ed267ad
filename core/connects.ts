// The Connects arithmetic of domain.md, "How the Connects numbers fit together". Zod-free: the popup and
// the overlay use connectsSummary directly on the derived state they receive.
import { monthKey } from './month.ts';
import type { AgencyState, LedgerEntry, MemberId } from './types.ts';

/** Keeps the ledger sorted by time (then id); most entries arrive in time order, so this is an append. */
export function insertLedger(ledger: LedgerEntry[], entry: LedgerEntry): void {
  let i = ledger.length;
  while (i > 0) {
    const prev = ledger[i - 1]!;
    if (prev.at < entry.at || (prev.at === entry.at && prev.id < entry.id)) break;
    i--;
  }
  ledger.splice(i, 0, entry);
}

/** Sum of the movements strictly after `from` and up to `to`, scanning back from the newest. */
export function sumBetween(
  ledger: readonly LedgerEntry[],
  from: number,
  to = Number.POSITIVE_INFINITY,
): number {
  let sum = 0;
  for (let i = ledger.length - 1; i >= 0; i--) {
    const e = ledger[i]!;
    if (e.at <= from) break;
    if (e.at <= to) sum += e.delta;
  }
  return sum;
}

export function balanceOf(state: AgencyState): number {
  const obs = state.observation;
  return obs
    ? obs.value + sumBetween(state.ledger, obs.at)
    : sumBetween(state.ledger, Number.NEGATIVE_INFINITY);
}

export function spentIn(state: AgencyState, member: MemberId, month: string): number {
  return state.spent[member]?.[month] ?? 0;
}

/** What is left of a member's monthly allowance in `month`, or null when they have none. */
export function allowanceLeft(state: AgencyState, member: MemberId, month: string): number | null {
  const m = state.members[member];
  if (!m || m.allowance === null) return null;
  return Math.max(0, m.allowance - spentIn(state, member, month));
}

/** Connects held back for members' unspent allowances in `month` (escrow, P4), optionally but one member. */
export function reservedIn(state: AgencyState, month: string, except?: MemberId): number {
  let reserved = 0;
  const members = state.members;
  for (const id in members) {
    const m = members[id]!;
    if (m.allowance === null || m.status !== 'active' || id === except) continue;
    reserved += Math.max(0, m.allowance - spentIn(state, id, month));
  }
  return reserved;
}

export interface ConnectsSummary {
  month: string;
  balance: number;
  observed: { value: number; at: number; source: 'page' | 'manager'; drift: number | null } | null;
  /** Agency movements since the latest observation. */
  since: { spent: number; refunded: number; purchased: number };
  reserved: number;
  availableToTeam: number;
  allowance: number | null;
  allowanceLeft: number | null;
  /** What this member may spend as the agency without a warning (P1, P4). */
  spendable: number;
}

export function connectsSummary(state: AgencyState, now: number, member: MemberId | null): ConnectsSummary {
  const month = monthKey(now, state.timeZone);
  const obs = state.observation;
  const since = { spent: 0, refunded: 0, purchased: 0 };
  const from = obs ? obs.at : Number.NEGATIVE_INFINITY;
  for (let i = state.ledger.length - 1; i >= 0; i--) {
    const e = state.ledger[i]!;
    if (e.at <= from) break;
    if (e.kind === 'proposal') since.spent -= e.delta;
    else if (e.kind === 'refund') since.refunded += e.delta;
    else since.purchased += e.delta;
  }
  const reserved = reservedIn(state, month);
  const left = member ? allowanceLeft(state, member, month) : null;
  const unreserved = state.balance - reserved;
  return {
    month,
    balance: state.balance,
    observed: obs ? { value: obs.value, at: obs.at, source: obs.source, drift: obs.drift } : null,
    since,
    reserved,
    availableToTeam: unreserved,
    allowance: member ? (state.members[member]?.allowance ?? null) : null,
    allowanceLeft: left,
    spendable: Math.max(0, (left ?? 0) + Math.max(0, unreserved)),
  };
}

export interface AgencySpendCheck {
  /** P4: the spend goes beyond what is left of the proposer's monthly allowance. */
  beyondAllowance: boolean;
  /** P1: the part outside the allowance takes more than the unreserved balance, or the balance goes below 0. */
  overdraft: boolean;
  /** How much of the cost falls outside the proposer's allowance. */
  outside: number;
}

/**
 * The one statement of P1 and P4 for an agency spend: derive flags a recorded proposal with it, and the
 * overlay warns before Send with it. `reserved` is every member's unspent allowance this month, the
 * proposer's included; `allowanceLeft` is null for a member without an allowance.
 */
export function checkAgencySpend(input: {
  balance: number;
  reserved: number;
  allowanceLeft: number | null;
  cost: number;
}): AgencySpendCheck {
  const { balance, reserved, allowanceLeft: left, cost } = input;
  const outside = cost - (left === null ? 0 : Math.min(cost, left));
  // A spend inside an allowance is escrowed: only a part outside it can take what was not free (P4).
  const overdraft = (outside > 0 && outside > balance - reserved) || balance - cost < 0;
  return { beyondAllowance: left !== null && outside > 0, overdraft, outside };
}
