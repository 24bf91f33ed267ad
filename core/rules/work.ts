// Offers, contracts, milestones, time and payouts (R2–R6, R8, D8, D10, D11). Whether an offer was answered or
// a contract exists is judged by what the action knew; concurrent answers settle as "accepted" (a contract
// exists on Upwork), never by their order. Verdicts never read amounts or rates (D15): a replica that holds
// none of them reaches the same verdicts: the state holds no amount, only which action's sealed envelope
// holds it (core/amounts.ts reads them where they can be opened).
import { clearPart, kindOf } from '../amounts.ts';
import { canonicalText } from '../canonical.ts';
import { spendIndex, spendsOnJob } from '../derivation.ts';
import { contest, known, knownMember, knowsAny, knowsSome, type ReplayContext, write } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { Action, Contract, Offer } from '../types.ts';
import { holdsTrustedAmount, statesAmount } from './amount-trust.ts';
import { type Actor, isManager, nameOf, type Rules } from './rule.ts';
import { clearAmountFlag } from './seal-keys.ts';

/** The offer, if the action knew it was recorded. */
function knownOffer(ctx: ReplayContext, id: string): Offer | null {
  return knowsAny(ctx, ctx.book.offers.get(id)) ? (ctx.state.offers[id] ?? null) : null;
}

/** The contract, if the action knew its offer was accepted. */
function knownContract(ctx: ReplayContext, id: string): Contract | null {
  return known(ctx, 'of', id) === 'accepted' ? (ctx.state.contracts[id] ?? null) : null;
}

/** R2/R8: agency offers are answered by a business manager, independent ones by their member. */
function answerRefusal(ctx: ReplayContext, id: string, actor: Actor): VerdictCode | null {
  const offer = knownOffer(ctx, id);
  if (!offer || known(ctx, 'of', id) !== 'open') return 'UNKNOWN_OFFER';
  if (offer.as === 'agency') return isManager(actor) ? null : 'NOT_MANAGER_ACCEPT';
  return offer.member === actor.id ? null : 'NOT_OWN_OFFER';
}

function answer(ctx: ReplayContext, id: string, status: 'accepted' | 'declined'): Offer {
  const offer = ctx.state.offers[id]!;
  offer.status = write(ctx, 'of', id, status) as Offer['status'];
  if (offer.status === 'accepted' && !ctx.state.contracts[id]) {
    ctx.state.contracts[id] = {
      id,
      job: offer.job,
      title: offer.title,
      as: offer.as,
      member: offer.member,
      kind: offer.kind,
      termsBy: offer.record,
      // R6, R8: agency contracts pay the agency's account, independent ones the member
      payee: offer.as === 'agency' ? 'agency' : offer.member,
      milestones: [],
      timeLog: [],
      minutesLogged: 0,
    };
  }
  return offer;
}

/**
 * D15: a business manager's record of an offer whose standing record holds no amount they can trust (a plain
 * member's own record, without one or with one no one reads) gives the offer its amount, instead of being a
 * repeat; an accepted offer's contract takes it too while its terms were never edited.
 */
function takeOverAmount(ctx: ReplayContext, a: Action<'receiveOffer'>, actor: Actor): void {
  const offer = ctx.state.offers[a.payload.offer];
  if (!offer || !isManager(actor) || !statesAmount(a) || clearAmountFlag(ctx, a) !== null) return;
  if (holdsTrustedAmount(ctx, offer.record)) return;
  const contract = ctx.state.contracts[offer.id];
  if (contract?.termsBy === offer.record) {
    contract.termsBy = a.id;
    contract.kind ??= kindOf(a.payload);
  }
  offer.record = a.id;
  offer.kind ??= kindOf(a.payload);
}

export const workRules: Rules = {
  acceptOffer: {
    check: (ctx, a, actor) => answerRefusal(ctx, a.payload.offer, actor),
    apply(ctx, a, actor) {
      const offer = answer(ctx, a.payload.offer, 'accepted');
      return { text: `${actor.record.name} accepted the offer for '${offer.title}'` };
    },
  },

  declineOffer: {
    check: (ctx, a, actor) => answerRefusal(ctx, a.payload.offer, actor),
    apply(ctx, a, actor) {
      const offer = answer(ctx, a.payload.offer, 'declined');
      return { text: `${actor.record.name} declined the offer for '${offer.title}'` };
    },
  },

  editContractTerms: {
    check(ctx, a, actor) {
      const contract = knownContract(ctx, a.payload.contract);
      if (!contract) return 'UNKNOWN_CONTRACT';
      if (contract.as === 'agency' ? !isManager(actor) : contract.member !== actor.id) {
        return contract.as === 'agency' ? 'NOT_MANAGER_TERMS' : 'NOT_OWN_CONTRACT';
      }
      // D10: Upwork ends a contract and makes a new one to change its kind (one the offer did not state is
      // learnt from the first edit)
      const kind = kindOf(a.payload);
      return contract.kind && kind !== contract.kind ? 'CONTRACT_KIND_FIXED' : null;
    },
    apply(ctx, a, actor) {
      const contract = ctx.state.contracts[a.payload.contract]!;
      contract.kind ??= kindOf(a.payload);
      contract.termsBy = a.id;
      return { text: `${actor.record.name} edited the terms of '${contract.title}'` };
    },
  },

  submitMilestone: {
    check(ctx, a, actor) {
      const contract = knownContract(ctx, a.payload.contract);
      if (!contract) return 'UNKNOWN_CONTRACT_MILESTONE';
      // A kind the offer's record did not state is Upwork's to enforce.
      if (contract.kind === 'hourly') return 'NOT_FIXED_PRICE';
      const managerMay = contract.as === 'agency' && isManager(actor);
      return contract.member === actor.id || managerMay ? null : 'NOT_FREELANCER_OR_MANAGER';
    },
    apply(ctx, a, actor) {
      const contract = ctx.state.contracts[a.payload.contract]!;
      // D11: a milestone is unique per contract; a repeat is the same milestone
      if (contract.milestones.some((m) => m.id === a.payload.milestone)) return { text: null };
      contract.milestones.push({
        id: a.payload.milestone,
        title: a.payload.title,
        by: actor.id,
        action: a.id,
      });
      return {
        text: `${actor.record.name} submitted the milestone '${a.payload.title}' on '${contract.title}'`,
      };
    },
  },

  logTime: {
    check(ctx, a, actor) {
      const contract = knownContract(ctx, a.payload.contract);
      if (!contract) return 'UNKNOWN_CONTRACT_TIME';
      if (contract.kind === 'fixed') return 'NOT_HOURLY';
      return contract.member === actor.id ? null : 'NOT_CONTRACT_FREELANCER';
    },
    apply(ctx, a, actor) {
      const contract = ctx.state.contracts[a.payload.contract]!;
      // D11: every entry is kept (day, minutes, who), so a week's hours can be shown
      contract.timeLog.push({ id: a.id, day: a.payload.day, minutes: a.payload.minutes, by: actor.id });
      contract.minutesLogged += a.payload.minutes;
      return { text: null };
    },
  },

  // --- facts ---------------------------------------------------------------------------------------------

  receiveOffer: {
    apply(ctx, a, actor) {
      const p = a.payload;
      // D13: a departed member's record is history
      if (ctx.departed) return { text: null };
      // D12: only a business manager records an offer for someone else; a plain member's record of a
      // teammate's offer holds nothing, so it can neither claim the offer's id nor be "known" by a later record.
      // Said of a voided record too: revoke.ts reads it to tell whether the record contradicts anything.
      if (p.member !== actor.id) {
        if (!isManager(actor)) return { text: null, flags: ['OFFER_FOR_OTHER'] };
        ctx.book.authority.add(a.id); // a concurrent demotion re-judges it as a plain member's (D5)
      }
      // a voided record (it contradicts a concurrent record) is history too
      if (ctx.historyOnly) return { text: null };
      const flags: VerdictCode[] = [];
      let member = p.member;
      const named = knownMember(ctx, member);
      if (named?.status !== 'active') {
        flags.push('FOR_NON_MEMBER');
        member = actor.id;
      }
      // D8: an exclusive member's offers are the agency's; so is an offer on a job proposed as the agency
      let as = p.as;
      if (as === 'independent') {
        const relationship = knownMember(ctx, member)?.relationship ?? 'exclusive';
        if (relationship !== 'non-exclusive') {
          flags.push('OFFER_EXCLUSIVE');
          as = 'agency';
        } else if (
          knowsSome(
            ctx,
            spendsOnJob(ctx.book.spends, p.job),
            (q) => ctx.book.spends.member[spendIndex(ctx.book.spends, q)] === member,
          )
        ) {
          flags.push('OFFER_AGENCY_JOB');
          as = 'agency';
        }
      }
      // Another record of this offer: a repeat of each record it knew or that says the same; it and every
      // concurrent record that disagrees stand void, flagged, whatever their order. The records voided so far
      // (in the contest's group, kept across derive's rounds) hold nothing, yet a record concurrent with them
      // that disagrees contradicts them all the same.
      // Compared without amounts (D15): envelopes differ every time, and no verdict reads an amount.
      const records = ctx.book.offers.get(p.offer);
      const name = `offer:${p.offer}`;
      const voided = ctx.book.contested.get(name)?.ids;
      if (records || voided) {
        const text = canonicalText(clearPart('receiveOffer', p));
        const earlier = [...(records ?? [])];
        for (const id of voided ?? []) {
          const q = ctx.d.position.get(id);
          if (q !== undefined && q < ctx.index) earlier.push(q);
        }
        for (const q of earlier) {
          const other = ctx.d.actions.get(ctx.d.order[q]!)! as typeof a;
          if (ctx.knows(q) || canonicalText(clearPart('receiveOffer', other.payload)) === text) continue;
          contest(ctx, name, 'OFFER_CONFLICT', [other.id, a.id]);
        }
      }
      if (records) {
        records.push(ctx.index);
        takeOverAmount(ctx, a, actor);
        return { text: null, flags };
      }
      ctx.book.offers.set(p.offer, [ctx.index]);
      ctx.state.offers[p.offer] = {
        id: p.offer,
        job: p.job,
        title: p.title,
        as,
        member,
        kind: kindOf(p),
        record: a.id,
        status: 'open',
      };
      write(ctx, 'of', p.offer, 'open');
      return {
        text: `${nameOf(ctx, member)} received an offer for '${p.title}'${as === 'agency' ? ' (to the agency)' : ''}`,
        flags,
      };
    },
  },

  recordPayout: {
    apply(ctx, a, actor) {
      const s = ctx.state;
      if (ctx.historyOnly) return { text: null };
      const contract = knownContract(ctx, a.payload.contract);
      // D15: Upwork shows a contract's earnings to business managers, and to the freelancer of an independent
      // contract (paid to them, R8); a payout anyone else records is no observation of theirs and counts nowhere.
      const mayHaveSeen =
        !contract || isManager(actor) || (contract.as === 'independent' && contract.member === actor.id);
      if (!mayHaveSeen) return { text: null, flags: ['PAYOUT_NOT_SEEN'] };
      s.payouts.push({
        id: a.id,
        contract: a.payload.contract,
        payee: contract ? contract.payee : 'agency',
        at: ctx.eff,
      });
      return { text: null, flags: contract ? [] : ['PAYOUT_UNKNOWN_CONTRACT'] };
    },
  },
};
