// A contract as its member's Upwork contracts page lists it (issue 11): its id, title, kind and whether it is
// the agency's — never its rate or amount (D15). A fact, flagged never refused: only the member whose page it
// is records it (the member is the actor), so no one records a contract for someone else. R7/D8: an exclusive
// member's contract is the agency's. Of several records of one contract, the latest by time stands; at the
// same millisecond the smaller action id — never the order — decides.
import type { VerdictCode } from '../refusals.ts';
import type { Rules } from './rule.ts';

export const contractsSeenRules: Rules = {
  observeContract: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      const flags: VerdictCode[] = [];
      let as = p.as;
      if (as === 'independent' && actor.record.relationship === 'exclusive') {
        flags.push('OFFER_EXCLUSIVE');
        as = 'agency';
      }
      // A state restored from a snapshot older than this fact has no such map yet.
      ctx.state.contractsSeen ??= {};
      const seen = ctx.state.contractsSeen;
      const before = seen[p.contract];
      if (before && (before.at > ctx.eff || (before.at === ctx.eff && before.by < a.id))) {
        return { text: null, flags };
      }
      seen[p.contract] = {
        id: p.contract,
        title: p.title,
        kind: p.kind,
        as,
        member: actor.id,
        by: a.id,
        at: ctx.eff,
      };
      return {
        text: before
          ? null
          : `${actor.record.name}'s contract '${p.title}' (${p.kind === 'hourly' ? 'hourly' : 'fixed-price'}${as === 'agency' ? ', the agency’s' : ', independent'})`,
        flags,
      };
    },
  },
};
