// A contract as its member's Upwork contracts page lists it (issue 11): its id, title, kind and whether it is
// the agency's — never its rate or amount (D15). A fact, flagged never refused. The member is the recorder:
// Upwork's contracts page lists a freelancer's own contracts, and a contract belongs to one freelancer, so
// the first member to record a contract holds it. A later record by anyone else is flagged CONTRACT_TAKEN and
// changes nothing (no taking over a teammate's contract, its title or its kind). Two members recording one
// contract concurrently: the earlier record by time (then by action id) holds, whichever sorts first, and the
// other is flagged (a contest, settled by revoke.ts from the final state). R7/D8: an exclusive member's
// contract is the agency's, judged by the relationship the record knew. Of the holder's own records the
// latest by time stands (at the same millisecond the smaller id); D10: the kind stays the first record's.
import { contest, knownMember, type ReplayContext } from '../knowledge.ts';
import type { VerdictCode } from '../refusals.ts';
import type { AgencyState, SeenContract } from '../types.ts';
import type { Rules } from './rule.ts';

export const contractContest = (id: string): string => `contract:${id}`;

/** Whether a record is the holder's first one or comes from a later time (then id) than `x`. */
const before = (x: { since: number; first: string }, at: number, id: string): boolean =>
  x.since < at || (x.since === at && x.first < id);

/** Whether a record of `contract` by `member` is by someone other than the member who holds it. */
export function contractTaken(s: AgencyState, contract: string, member: string | undefined): boolean {
  const seen = s.contractsSeen?.[contract];
  return seen !== undefined && member !== seen.member;
}

function hold(ctx: ReplayContext, record: SeenContract): void {
  ctx.state.contractsSeen[record.id] = record;
}

export const contractsSeenRules: Rules = {
  observeContract: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      const flags: VerdictCode[] = [];
      let as = p.as;
      const relationship = knownMember(ctx, actor.id)?.relationship ?? 'exclusive';
      if (as === 'independent' && relationship !== 'non-exclusive') {
        flags.push('OFFER_EXCLUSIVE');
        as = 'agency';
      }
      const seen = ctx.state.contractsSeen;
      const prior = seen[p.contract];
      const record: SeenContract = {
        id: p.contract,
        title: p.title,
        kind: p.kind,
        as,
        member: actor.id,
        by: a.id,
        at: ctx.eff,
        first: a.id,
        since: ctx.eff,
      };
      const text = `${actor.record.name}'s contract '${p.title}' (${p.kind === 'hourly' ? 'hourly' : 'fixed-price'}${as === 'agency' ? ', the agency’s' : ', independent'})`;
      if (!prior) {
        hold(ctx, record);
        return { text, flags };
      }
      if (prior.member !== actor.id) {
        const name = contractContest(p.contract);
        const firstPos = ctx.d.position.get(prior.first)!;
        if (ctx.knows(firstPos) && !ctx.book.contested.get(name)?.ids.has(a.id)) {
          // It knew a teammate holds this contract: a record of someone else's contract changes nothing.
          return { text: null, flags: [...flags, 'CONTRACT_TAKEN'] };
        }
        // Concurrent first records by two members: the earlier by time holds, whatever the order; the
        // other's flag is settled from the final state (revoke.ts).
        contest(ctx, name, 'CONTRACT_TAKEN', [prior.first, a.id]);
        if (before(prior, ctx.eff, a.id)) return { text: null, flags };
        hold(ctx, record);
        return { text, flags };
      }
      // The holder's own records: the latest by time stands, the kind and the first record stay.
      record.first = prior.first;
      record.since = prior.since;
      record.kind = prior.kind;
      if (prior.kind !== p.kind) flags.push('CONTRACT_KIND_FIXED');
      if (prior.at > ctx.eff || (prior.at === ctx.eff && prior.by < a.id)) return { text: null, flags };
      hold(ctx, record);
      return { text: null, flags };
    },
  },
};
