// Agency insights (issue 12): who spent what, and what it won, over a period. Pure functions of the derived
// state (and the observed balances derive keeps), so every replica shows the same figures.
//
// - The balance over time follows domain.md "How the Connects numbers fit together": the latest observation
//   by time (at the same millisecond the smaller value) plus the movements stamped after it.
// - Offers are counted, never valued: D15 keeps amounts away from plain members' browsers, and an offer
//   record may carry none. An offer counts in a period when the proposal it answers (same member, same job)
//   was sent in that period, so the offer rate is "of the agency proposals sent then, how many won an offer".
// - Independent proposals spend the member's own Connects: they are only counted, never summed (domain.md).
// - A duplicate (P5) is an agency proposal on a job that already had an earlier agency proposal: its
//   Connects were wasted.
// - Visibility: a business manager sees every member's row and every job; a plain member sees the
//   agency-wide totals, their own row and the jobs they proposed to.
import { monthKey } from './month.ts';
import type { ActionId, AgencyState, MemberId, ProposalRecord, ProposeAs } from './types.ts';

const DAY = 86_400_000;

/** A span of time, `from` included, `to` excluded. */
export interface Period {
  from: number;
  to: number;
}

/** A balance Upwork showed or a manager entered, at its effective time (derive's `book.observations`). */
export interface ObservedBalance {
  at: number;
  value: number;
}

export type BalancePointKind = 'start' | 'observation' | 'proposal' | 'purchase' | 'refund';

export interface BalancePoint {
  at: number;
  /** The agency balance right after this point. */
  balance: number;
  kind: BalancePointKind;
  /** The movement (negative for a spend); for an observation, the value Upwork showed minus the balance before. */
  delta: number;
  /** The action that moved the balance; null for the start and for observations. */
  id: ActionId | null;
}

export interface MemberInsight {
  member: MemberId;
  name: string;
  /**
   * Connects spent as the agency, boosts included (a boost is Connects spent: what moved the balance, the
   * same as the popup's "spent this month"), and the part of it spent on boosts.
   */
  spent: number;
  boost: number;
  agencyProposals: number;
  /** Counted only: their Connects are the member's own. */
  independentProposals: number;
  /** Offers on jobs this member proposed to in the period (agency and independent). */
  offers: number;
  /** Agency proposals of the period that won an offer ÷ agency proposals; null without any. */
  offerRate: number | null;
  /** Boosted agency proposals, and how many of them won an offer. */
  boosted: number;
  boostedWithOffer: number;
  /** Boost outcomes as the member's My proposals showed them, recorded in the period (observeBoost). */
  outcomes: BoostOutcomes;
  /** Agency proposals on a job a teammate (or they) had already proposed to as the agency (P5). */
  duplicates: number;
  wasted: number;
}

export interface BoostOutcomes {
  boosted: number;
  outbid: number;
  notBoosted: number;
}

export interface JobProposal {
  id: ActionId;
  member: MemberId;
  name: string;
  at: number;
  as: ProposeAs;
  /** Connects + boost for an agency proposal; null for an independent one (not the agency's Connects). */
  cost: number | null;
  duplicate: boolean;
}

export interface JobInsight {
  job: string;
  title: string;
  /** The agency proposals of the period, in time order (independent ones only in `independent`). */
  proposals: JobProposal[];
  independent: number;
  wasted: number;
  latest: number;
}

export interface Insights {
  period: Period;
  /** Whether every member's row and every job are shown (a business manager), or only the viewer's. */
  everyRow: boolean;
  balance: {
    start: number;
    end: number;
    points: BalancePoint[];
    spent: number;
    purchased: number;
    refunded: number;
    observations: number;
  };
  /** What next month's allowances will hold back of the balance as it is now (D2: capped by it). */
  reservedNextMonth: number;
  totals: {
    /** Boosts included, as per member. */
    spent: number;
    boost: number;
    agencyProposals: number;
    independentProposals: number;
    offers: number;
    offerRate: number | null;
    duplicates: number;
    wasted: number;
  };
  members: MemberInsight[];
  jobs: JobInsight[];
}

// --- periods ---------------------------------------------------------------------------------------------

/**
 * The first millisecond of `month` ("2026-11") in `timeZone`: a binary search on monthKey, which only ever
 * moves forward in time, between 14 hours either side of the month's start in UTC (the widest zone offsets).
 */
export function monthStart(month: string, timeZone: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  let lo = Date.UTC(y, m - 1, 1) - 15 * 3_600_000;
  let hi = Date.UTC(y, m - 1, 1) + 15 * 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (monthKey(mid, timeZone) >= month) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The month after `month` ("2026-12" → "2027-01"). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function monthPeriod(month: string, timeZone: string): Period {
  return { from: monthStart(month, timeZone), to: monthStart(nextMonth(month), timeZone) };
}

/** The last `days` days up to and including `now`. */
export const lastDays = (days: number, now: number): Period => ({ from: now + 1 - days * DAY, to: now + 1 });

// --- balance ---------------------------------------------------------------------------------------------

/** Index of the first entry whose time is ≥ `t` in a list sorted by time. */
function firstAtOrAfter<T>(xs: readonly T[], at: (x: T) => number, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(xs[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byAt = (x: { at: number }) => x.at;

/**
 * The agency balance through `period`: where it started, a point per movement and observation in it, and
 * where it ended. `observations` are sorted by time, then larger values first (the one that holds comes last,
 * as derive keeps them); at one millisecond an observation includes the movements stamped then.
 */
export function balanceSeries(
  state: AgencyState,
  observations: readonly ObservedBalance[],
  period: Period,
): Insights['balance'] {
  const ledger = state.ledger;
  // The observation that holds at the period's start, and the movements after it up to the period. One seen
  // at the very first millisecond is where the period starts (the balance entered at the agency's creation,
  // when the period begins there), with the movements stamped then, which it includes.
  const oi = firstAtOrAfter(observations, byAt, period.from + 1) - 1;
  const base = oi >= 0 ? observations[oi]! : null;
  let balance = base ? base.value : 0;
  const li = firstAtOrAfter(ledger, byAt, base && base.at === period.from ? period.from + 1 : period.from);
  for (let i = base ? firstAtOrAfter(ledger, byAt, base.at + 1) : 0; i < li; i++) balance += ledger[i]!.delta;
  const start = balance;
  // Every point has the same fields, id included, so the engine keeps one shape for 100k of them.
  const points: BalancePoint[] = [{ at: period.from, balance, kind: 'start', delta: 0, id: null }];
  let spent = 0;
  let purchased = 0;
  let refunded = 0;
  let seen = 0;
  let i = li;
  let j = oi + 1;
  for (;;) {
    const e = i < ledger.length && ledger[i]!.at < period.to ? ledger[i]! : null;
    const o = j < observations.length && observations[j]!.at < period.to ? observations[j]! : null;
    if (!e && !o) break;
    // A movement stamped at the observation's millisecond is included in Upwork's number: apply it first.
    if (e && (!o || e.at <= o.at)) {
      balance += e.delta;
      if (e.kind === 'proposal') spent -= e.delta;
      else if (e.kind === 'purchase') purchased += e.delta;
      else refunded += e.delta;
      points.push({ at: e.at, balance, kind: e.kind, delta: e.delta, id: e.id });
      i++;
    } else if (o) {
      points.push({ at: o.at, balance: o.value, kind: 'observation', delta: o.value - balance, id: null });
      balance = o.value;
      seen++;
      j++;
    }
  }
  return { start, end: balance, points, spent, purchased, refunded, observations: seen };
}

/**
 * When the agency's balance begins: the balance entered at its creation (derive keeps it as the first
 * observation), or else its first movement; null when it has neither.
 */
export function agencyStart(state: AgencyState, observations: readonly ObservedBalance[]): number | null {
  let t = observations.length ? observations[0]!.at : Number.POSITIVE_INFINITY;
  const first = state.ledger[0];
  if (first && first.at < t) t = first.at;
  return Number.isFinite(t) ? t : null;
}

/** `period` from the agency's start on: a chart of the time before it would show a balance it never had. */
export function sinceStart(period: Period, start: number | null): Period {
  if (start === null || start <= period.from) return period;
  return { from: Math.min(start, period.to), to: period.to };
}

/** What the allowances of the active members will reserve at the start of next month (D2: capped). */
export function reservedNextMonth(state: AgencyState): number {
  let total = 0;
  for (const id in state.members) {
    const m = state.members[id]!;
    if (m.status === 'active' && m.allowance !== null) total += m.allowance;
  }
  return Math.min(total, Math.max(0, state.balance));
}

/** Connects the agency spent in `month` (every member), and the viewer's part of it. */
export function spentInMonth(
  state: AgencyState,
  month: string,
  member: MemberId,
): { agency: number; mine: number } {
  let agency = 0;
  for (const id in state.spent) agency += state.spent[id]![month] ?? 0;
  return { agency, mine: state.spent[member]?.[month] ?? 0 };
}

// --- members and jobs ------------------------------------------------------------------------------------

/** The first agency proposal on each job (by time, then id): every later one on that job is a duplicate. */
export function firstAgencyProposals(proposals: readonly ProposalRecord[]): Map<string, ProposalRecord> {
  const first = new Map<string, ProposalRecord>();
  for (const p of proposals) {
    if (p.as !== 'agency') continue;
    const f = first.get(p.job);
    if (!f || p.at < f.at || (p.at === f.at && p.id < f.id)) first.set(p.job, p);
  }
  return first;
}

export const isManagerViewer = (state: AgencyState, viewer: MemberId): boolean => {
  const m = state.members[viewer];
  return !!m && m.role === 'manager' && m.status === 'active';
};

interface JobAcc {
  first: ProposalRecord | null;
  offers: Map<MemberId, number> | null;
  row: JobInsight | null;
}

function emptyRow(member: MemberId, name: string): MemberInsight {
  return {
    member,
    name,
    spent: 0,
    boost: 0,
    agencyProposals: 0,
    independentProposals: 0,
    offers: 0,
    offerRate: null,
    boosted: 0,
    boostedWithOffer: 0,
    outcomes: { boosted: 0, outbid: 0, notBoosted: 0 },
    duplicates: 0,
    wasted: 0,
  };
}

const nameIn = (state: AgencyState, id: MemberId): string => state.members[id]?.name ?? 'a former member';

export function insights(
  state: AgencyState,
  observations: readonly ObservedBalance[],
  period: Period,
  viewer: MemberId,
): Insights {
  const everyRow = isManagerViewer(state, viewer);
  period = sinceStart(period, agencyStart(state, observations));
  const balance = balanceSeries(state, observations, period);
  // A departed member's facts are history (D13): kept and flagged MEMBER_GONE_FACT, they move no number. Few,
  // so this set stays small (a set of every counted id would cost more than the rest of this function).
  const history = new Set<ActionId>();
  for (const v of state.verdicts) {
    if (v.code === 'MEMBER_GONE_FACT' && v.type === 'submitProposal') history.add(v.id);
  }
  // One entry per job, found once per proposal: its first agency proposal (every later one is a duplicate,
  // P5), its offers by member, and its row of the period.
  const byJob = new Map<string, JobAcc>();
  for (const p of state.proposals) {
    let acc = byJob.get(p.job);
    if (!acc) {
      acc = { first: null, offers: null, row: null };
      byJob.set(p.job, acc);
    }
    if (p.as !== 'agency') continue;
    const f = acc.first;
    if (!f || p.at < f.at || (p.at === f.at && p.id < f.id)) acc.first = p;
  }
  for (const id in state.offers) {
    const o = state.offers[id]!;
    const acc = byJob.get(o.job);
    if (!acc) continue; // no proposal on its job: it belongs to no period
    acc.offers ??= new Map();
    acc.offers.set(o.member, (acc.offers.get(o.member) ?? 0) + 1);
  }
  const rows = new Map<MemberId, MemberInsight>();
  const jobs: JobInsight[] = [];
  const offered = new Set<string>();
  const rowOf = (id: MemberId) => {
    let r = rows.get(id);
    if (!r) {
      r = emptyRow(id, nameIn(state, id));
      rows.set(id, r);
    }
    return r;
  };
  const viewerJobs = new Set<string>();
  let agencyWon = 0;
  for (const p of state.proposals) {
    if (p.at < period.from || p.at >= period.to) continue;
    if (p.member === viewer) viewerJobs.add(p.job);
    const r = rowOf(p.member);
    const acc = byJob.get(p.job)!;
    const offers = acc.offers?.get(p.member) ?? 0;
    if (offers) {
      const key = `${p.member}\u0000${p.job}`;
      if (!offered.has(key)) {
        offered.add(key);
        r.offers += offers;
      }
    }
    let job = acc.row;
    if (!job) {
      job = { job: p.job, title: p.title, proposals: [], independent: 0, wasted: 0, latest: p.at };
      acc.row = job;
      jobs.push(job);
    }
    if (p.at >= job.latest) {
      job.latest = p.at;
      job.title = p.title;
    }
    if (p.as === 'independent') {
      r.independentProposals++;
      job.independent++;
      continue;
    }
    const cost = p.connects + p.boost;
    const duplicate = acc.first !== p;
    const moved = history.size === 0 || !history.has(p.id);
    r.agencyProposals++;
    if (moved) {
      r.spent += cost;
      r.boost += p.boost;
    }
    if (offers) {
      agencyWon++;
      r.offerRate = (r.offerRate ?? 0) + 1; // a count until the end
    }
    if (p.boost > 0) {
      r.boosted++;
      if (offers) r.boostedWithOffer++;
    }
    if (duplicate) {
      r.duplicates++;
      if (moved) {
        r.wasted += cost;
        job.wasted += cost;
      }
    }
    job.proposals.push({ id: p.id, member: p.member, name: r.name, at: p.at, as: 'agency', cost, duplicate });
  }
  // Upwork's verdict on each boost, as the member's own My proposals page showed it (issue 11's fact): counted
  // in the period it was seen, since the record does not say when its proposal was sent.
  const seen = state.boostsSeen ?? {};
  for (const key in seen) {
    const b = seen[key]!;
    if (b.member === null || b.at < period.from || b.at >= period.to) continue;
    const o = rowOf(b.member).outcomes;
    if (b.outcome === 'boosted') o.boosted++;
    else if (b.outcome === 'outbid') o.outbid++;
    else o.notBoosted++;
  }
  const totals: Insights['totals'] = {
    spent: 0,
    boost: 0,
    agencyProposals: 0,
    independentProposals: 0,
    offers: 0,
    offerRate: null,
    duplicates: 0,
    wasted: 0,
  };
  for (const r of rows.values()) {
    r.offerRate = r.agencyProposals ? (r.offerRate ?? 0) / r.agencyProposals : null;
    totals.spent += r.spent;
    totals.boost += r.boost;
    totals.agencyProposals += r.agencyProposals;
    totals.independentProposals += r.independentProposals;
    totals.offers += r.offers;
    totals.duplicates += r.duplicates;
    totals.wasted += r.wasted;
  }
  totals.offerRate = totals.agencyProposals ? agencyWon / totals.agencyProposals : null;
  // Active members with nothing in the period still get their row (a manager sees who did nothing).
  for (const id in state.members) if (state.members[id]!.status === 'active') rowOf(id);
  const members = [...rows.values()]
    .filter((r) => everyRow || r.member === viewer)
    .sort((a, b) => a.name.localeCompare(b.name) || (a.member < b.member ? -1 : 1));
  const jobList = (everyRow ? jobs : jobs.filter((j) => viewerJobs.has(j.job))).sort(
    (a, b) => b.latest - a.latest || (a.job < b.job ? -1 : 1),
  );
  for (const j of jobList) {
    if (j.proposals.length > 1) j.proposals.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  }
  return {
    period,
    everyRow,
    balance,
    reservedNextMonth: reservedNextMonth(state),
    totals,
    members,
    jobs: jobList,
  };
}

/** The observed balances derive keeps (`book.observations`, parallel arrays), as points in time. */
export function observedBalances(o: { eff: readonly number[]; value: readonly number[] }): ObservedBalance[] {
  const out: ObservedBalance[] = new Array(o.eff.length);
  for (let i = 0; i < o.eff.length; i++) out[i] = { at: o.eff[i]!, value: o.value[i]! };
  return out;
}
