// The Connects arithmetic of domain.md, "How the Connects numbers fit together". Zod-free: the popup and
// the overlay use connectsSummary directly on the derived state they receive.
//
// Allowances (P4, D2): a manager's grant stands and renews every month; what it reserves in a month is what
// is left of it (grant − spent that month). Reservations are capped by the balance at every moment, with one
// shrink rule (proportional, rounded down, the remainder by largest fraction, ties by member id), so no
// screen offers a member Connects the agency does not have. Only active members hold reservations.
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
  if (i === ledger.length) ledger.push(entry);
  else ledger.splice(i, 0, entry);
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

/**
 * Fits members' unspent allowances into `budget`: unchanged when they fit; otherwise each gets its share,
 * proportional and rounded down, the remainder handed out one by one by largest fraction, ties by member id.
 */
export function shrinkToFit(left: ReadonlyMap<MemberId, number>, budget: number): Map<MemberId, number> {
  let total = 0;
  for (const v of left.values()) total += v;
  const room = Math.max(0, budget);
  if (total <= room) return new Map(left);
  const shares = [...left]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([member, v]) => ({ member, share: Math.floor((v * room) / total), rest: (v * room) % total }));
  let remainder = room - shares.reduce((n, x) => n + x.share, 0);
  for (const x of [...shares].sort((p, q) => q.rest - p.rest || (p.member < q.member ? -1 : 1))) {
    if (remainder <= 0) break;
    x.share++;
    remainder--;
  }
  return new Map(shares.map((x) => [x.member, x.share]));
}

/** Unspent allowance of every active member who holds one, in `month`, before the cap. */
export function unspentAllowances(state: AgencyState, month: string): Map<MemberId, number> {
  const left = new Map<MemberId, number>();
  const members = state.members;
  for (const id in members) {
    const m = members[id]!;
    if (m.allowance === null || m.status !== 'active') continue;
    left.set(id, Math.max(0, m.allowance - spentIn(state, id, month)));
  }
  return left;
}

/** What each allowance reserves in `month` right now: the unspent part, capped by the balance (D2). */
export function reservations(state: AgencyState, month: string): Map<MemberId, number> {
  return shrinkToFit(unspentAllowances(state, month), state.balance);
}

/** What is left of a member's monthly allowance in `month` (capped by the balance), or null without one. */
export function allowanceLeft(state: AgencyState, member: MemberId, month: string): number | null {
  const m = state.members[member];
  if (!m || m.allowance === null || m.status !== 'active') return null;
  return reservations(state, month).get(member) ?? 0;
}

/** Connects held back for members' unspent allowances in `month` (escrow, P4), capped by the balance. */
export function reservedIn(state: AgencyState, month: string): number {
  let total = 0;
  for (const v of reservations(state, month).values()) total += v;
  return total;
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
  /** What this member may spend as the agency without a warning (P1, P4); never more than the agency has. */
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
  const shares = reservations(state, month);
  let reserved = 0;
  for (const v of shares.values()) reserved += v;
  const holder = member ? state.members[member] : undefined;
  const left =
    holder && holder.allowance !== null && holder.status === 'active' ? (shares.get(holder.id) ?? 0) : null;
  const unreserved = state.balance - reserved;
  return {
    month,
    balance: state.balance,
    observed: obs ? { value: obs.value, at: obs.at, source: obs.source, drift: obs.drift } : null,
    since,
    reserved,
    availableToTeam: unreserved,
    allowance: holder ? holder.allowance : null,
    allowanceLeft: left,
    spendable: Math.max(0, (left ?? 0) + Math.max(0, unreserved)),
  };
}

export interface AgencySpendCheck {
  /** P4: the spend goes beyond what is left of the proposer's monthly allowance. */
  beyondAllowance: boolean;
  /** P1: the part outside the allowance takes more than the unreserved balance. */
  overdraft: boolean;
  /** How much of the cost falls outside the proposer's allowance. */
  outside: number;
}

/**
 * The one statement of P1 and P4 for an agency spend: derive flags a recorded proposal with it, and the
 * overlay warns before Send with it. `reserved` is every member's unspent allowance this month (capped),
 * the proposer's included; `allowanceLeft` is null for a member without an allowance. D1: the part within
 * the allowance was reserved for this member, so it never overdraws; only the part outside it can.
 */
export function checkAgencySpend(input: {
  balance: number;
  reserved: number;
  allowanceLeft: number | null;
  cost: number;
}): AgencySpendCheck {
  const { balance, reserved, allowanceLeft: left, cost } = input;
  const outside = cost - (left === null ? 0 : Math.min(cost, left));
  const overdraft = outside > 0 && outside > balance - reserved;
  return { beyondAllowance: left !== null && outside > 0, overdraft, outside };
}

/**
 * What allowances reserve during a replay, kept between actions: the unspent parts change only when an
 * allowance, a member's status or a holder's spending does (each of which tells the cache). The total
 * reserved is min(unspent, balance), always cheap; each holder's capped share is worked out only when asked
 * (the cap binds whenever the balance is low, and the replay of an overdrawn agency asks at every spend).
 */
export class ReservationsCache {
  private month = '';
  private unspent: Map<MemberId, number> | null = null;
  private total = 0;
  private capped: { balance: number; shares: Map<MemberId, number> } | null = null;

  clear(): void {
    this.unspent = null;
    this.capped = null;
  }

  /** A holder spent `cost` in `month`: their unspent part shrinks in place. */
  spend(member: MemberId, month: string, cost: number): void {
    if (!this.unspent || month !== this.month) return;
    const before = this.unspent.get(member);
    if (before === undefined) return;
    const after = Math.max(0, before - cost);
    this.unspent.set(member, after);
    this.total -= before - after;
    this.capped = null;
  }

  private load(state: AgencyState, month: string): Map<MemberId, number> {
    if (!this.unspent || month !== this.month) {
      this.month = month;
      this.unspent = unspentAllowances(state, month);
      this.total = 0;
      for (const v of this.unspent.values()) this.total += v;
      this.capped = null;
    }
    return this.unspent;
  }

  /** Unspent allowance per holder in `month`, before the cap. */
  unspentIn(state: AgencyState, month: string): Map<MemberId, number> {
    return this.load(state, month);
  }

  /** Connects held back in `month`: the unspent allowances, capped by the balance. */
  reserved(state: AgencyState, month: string): number {
    this.load(state, month);
    return Math.min(this.total, Math.max(0, state.balance));
  }

  /** What each holder's allowance reserves in `month`, capped by the balance (D2). */
  shares(state: AgencyState, month: string): Map<MemberId, number> {
    const unspent = this.load(state, month);
    if (this.total <= Math.max(0, state.balance)) return unspent;
    if (!this.capped || this.capped.balance !== state.balance) {
      this.capped = { balance: state.balance, shares: shrinkToFit(unspent, state.balance) };
    }
    return this.capped.shares;
  }
}
