// Connects: observations, purchases, refunds, agency proposals, monthly allowances and the time zone
// (R1, P1, P4, D1, D2, D3, D12, D13; refunds, D9: refunds.ts). Numbers move by time (an observation includes everything before
// it); a spend's allowance is judged by what its proposer knew (D1, D3); the P1 flag falls on spends that
// draw on the unreserved balance in the log's order — the one verdict domain.md lets the order decide.
import { balanceOf, checkAgencySpend, insertLedger, sumBetween } from '../connects.ts';
import { insertObservation, recordSpend } from '../derivation.ts';
import {
  known,
  knownActive,
  knownConnects,
  knownSpent,
  knowsAll,
  type ReplayContext,
  write,
} from '../knowledge.ts';
import { monthKey } from '../month.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, MemberId } from '../types.ts';
import { type Actor, isManager, nameOf, plural, type Rules } from './rule.ts';

/** The agency's time zone as the action knew it: the month a spend counts in must not hang on order. */
const knownZone = (ctx: ReplayContext): string =>
  knowsAll(ctx) ? ctx.state.timeZone : (known<string>(ctx, 'tz', '') ?? ctx.state.timeZone);
const monthOf = (ctx: ReplayContext): string => monthKey(ctx.eff, knownZone(ctx));

/** Sets the balance from an observation by time: events after it are applied on top (domain.md). */
function observe(
  ctx: ReplayContext,
  a: Action<'observeBalance' | 'enterBalance' | 'createAgency'>,
  value: number,
  source: 'page' | 'manager',
): VerdictCode[] {
  const s = ctx.state;
  const month = monthOf(ctx);
  const flags: VerdictCode[] = [];
  // P4/D2: allowances the observer knew that Upwork's number cannot cover are shrunk to fit (flagged)
  let unspent = 0;
  const known = knowsAll(ctx) ? ctx.reservations.unspentIn(s, month) : knownConnects(ctx, month).unspent;
  for (const v of known.values()) unspent += v;
  if (unspent > Math.max(0, value)) flags.push('ALLOWANCE_SHRUNK');
  insertObservation(ctx.book.observations, ctx.index, ctx.eff, value);
  const prev = s.observation;
  // The latest by time wins; at the same millisecond the smaller value (never the order) decides.
  if (prev && (ctx.eff < prev.at || (ctx.eff === prev.at && value >= prev.value))) return flags;
  const before = s.balance;
  const predicted = prev ? prev.value + sumBetween(s.ledger, prev.at, ctx.eff) : null;
  s.observation = {
    id: a.id,
    at: ctx.eff,
    value,
    source,
    drift: predicted === null ? null : value - predicted,
  };
  s.balance = balanceOf(s);
  // P1: spends stamped after this observation but sorted before it (concurrent ones) now overdraw.
  if (s.balance < 0 && s.balance < before) flags.push('OVERDRAFT_OBSERVED');
  return flags;
}

export function createBalance(ctx: ReplayContext, a: Action<'createAgency'>): void {
  observe(ctx, a, a.payload.balance, 'manager');
}

function ledger(ctx: ReplayContext, a: Action, delta: number, kind: 'proposal' | 'purchase'): void {
  insertLedger(ctx.state.ledger, { id: a.id, at: ctx.eff, delta, kind });
  ctx.state.balance = balanceOf(ctx.state);
}

/** Who an agency proposal is booked for (D12): a manager may record one for an active member. */
function bookedFor(
  ctx: ReplayContext,
  a: Action<'submitProposal'>,
  actor: Actor,
  flags: VerdictCode[],
): MemberId {
  const named = a.payload.member;
  if (named === undefined || named === actor.id) return actor.id;
  if (!isManager(actor)) {
    flags.push('RECORDED_FOR_OTHER');
    return actor.id;
  }
  if (!knownActive(ctx, named)) {
    flags.push('FOR_NON_MEMBER');
    return actor.id;
  }
  // Booking a spend on someone else's allowance uses the manager's authority (a concurrent demotion
  // re-judges this fact as a plain member's, D5).
  ctx.book.authority.add(a.id);
  return named;
}

export const connectsRules: Rules = {
  setAllowance: {
    check(ctx, a, actor) {
      if (!isManager(actor)) return 'NOT_BUSINESS_MANAGER';
      const target = a.payload.member;
      if (!knownActive(ctx, target)) return 'UNKNOWN_MEMBER';
      const monthly = a.payload.monthly;
      if (monthly === null) return null;
      // P4: a grant fits in the unreserved balance as the manager knew it
      const month = monthOf(ctx);
      const view = knownConnects(ctx, month);
      let others = 0;
      for (const [id, v] of view.shares()) if (id !== target) others += v;
      const unspent = Math.max(0, monthly - knownSpent(ctx, target, month));
      return others + unspent > view.balance ? 'ALLOWANCE_OVER_BALANCE' : null;
    },
    apply(ctx, a, actor) {
      const target = ctx.state.members[a.payload.member]!;
      target.allowance = write(ctx, 'gr', target.id, a.payload.monthly) as number | null;
      ctx.reservations.clear();
      const monthly = a.payload.monthly;
      return {
        text:
          monthly === null
            ? `${actor.record.name} removed ${target.name}'s monthly allowance`
            : `${actor.record.name} gave ${target.name} a monthly allowance of ${plural(monthly)}`,
      };
    },
  },

  setTimeZone: {
    check: (_ctx, _a, actor) => (isManager(actor) ? null : 'NOT_BUSINESS_MANAGER'),
    apply(ctx, a, actor) {
      ctx.state.timeZone = write(ctx, 'tz', '', a.payload.timeZone) as string;
      ctx.reservations.clear();
      return { text: `${actor.record.name} set the agency's time zone to ${a.payload.timeZone}` };
    },
  },

  enterBalance: {
    check: (_ctx, _a, actor) => (isManager(actor) ? null : 'NOT_BUSINESS_MANAGER'),
    apply(ctx, a, actor) {
      const flags = observe(ctx, a, a.payload.balance, 'manager');
      return { text: `${actor.record.name} entered the agency balance: ${plural(a.payload.balance)}`, flags };
    },
  },

  recordPurchase: {
    check: (_ctx, _a, actor) => (isManager(actor) ? null : 'NOT_BUSINESS_MANAGER'),
    apply(ctx, a, actor) {
      ledger(ctx, a, a.payload.connects, 'purchase');
      return { text: `${actor.record.name} recorded a purchase of ${plural(a.payload.connects)}` };
    },
  },

  // --- facts ---------------------------------------------------------------------------------------------

  submitProposal: {
    apply(ctx, a, actor) {
      const s = ctx.state;
      const p = a.payload;
      const flags: VerdictCode[] = [];
      const member = bookedFor(ctx, a, actor, flags);
      const name = nameOf(ctx, member);
      s.proposals.push({
        id: a.id,
        job: p.job,
        title: p.title,
        as: p.as,
        connects: p.connects,
        boost: p.boost,
        member,
        recordedBy: actor.id,
        at: ctx.eff,
      });
      if (p.as === 'independent') {
        // R7, judged by what the proposer could know: the relationship in the proposal's causal past.
        if ((known(ctx, 're', member) ?? 'exclusive') !== 'non-exclusive')
          flags.push('EXCLUSIVE_INDEPENDENT');
        return { text: `${name} proposed independently on '${p.title}'`, flags };
      }
      const cost = p.connects + p.boost;
      if (ctx.historyOnly)
        return { text: `${name} proposed as the agency on '${p.title}' — ${plural(cost)}`, flags };
      const month = monthOf(ctx);
      // D1/D3: the part within what was left of the allowance, as the proposer knew it, was reserved
      const left =
        !ctx.pool && knowsGrant(ctx, member) ? (knownConnects(ctx, month).shares().get(member) ?? 0) : null;
      const check = checkAgencySpend({
        balance: s.balance,
        reserved: ctx.reservations.reserved(s, month),
        allowanceLeft: left,
        cost,
      });
      if (check.beyondAllowance) flags.push('ALLOWANCE_EXCEEDED');
      if (check.overdraft) flags.push('OVERDRAFT');
      const spent = s.spent[member] ?? {};
      spent[month] = (spent[month] ?? 0) + cost;
      s.spent[member] = spent;
      recordSpend(ctx.book.spends, ctx.index, member, month, cost, p.job);
      ctx.reservations.spend(member, month, cost);
      ledger(ctx, a, -cost, 'proposal');
      return { text: `${name} proposed as the agency on '${p.title}' — ${plural(cost)}`, flags };
    },
  },

  observeBalance: {
    apply(ctx, a) {
      if (ctx.historyOnly) return { text: null };
      return { text: null, flags: observe(ctx, a, a.payload.balance, 'page') };
    },
  },

  learnUpworkId: {
    apply(ctx, a) {
      if (ctx.historyOnly) return { text: null };
      // The latest by time; at the same millisecond the smaller id (never the order) decides.
      const at = ctx.book.upworkAt;
      if (at === null || ctx.eff > at || (ctx.eff === at && a.payload.upworkId < ctx.state.upworkId!)) {
        ctx.state.upworkId = a.payload.upworkId;
        ctx.book.upworkAt = ctx.eff;
      }
      return { text: null };
    },
  },
};

/** Whether the proposal's causal past holds a grant for `member` (and they were active as far as it knew). */
const knowsGrant = (ctx: ReplayContext, member: MemberId): boolean =>
  (known<number | null>(ctx, 'gr', member) ?? null) !== null && knownActive(ctx, member) !== null;
