// A proposal's boost outcome as its member's My proposals shows it (issue 11): "Boosted", "Boost outbid" or
// "Not boosted", keyed by Upwork's proposal id. A fact, never refused: only the member whose page it is
// records it (the member is the actor). One proposal is one entry: the same outcome recorded again (another
// browser, a reload) changes nothing and says nothing; a different one later (Upwork outbid a boost) replaces
// it. Of several records, the latest by time stands; at the same millisecond the smaller action id — never
// the order — decides.
import type { Rules } from './rule.ts';

export const boostsSeenRules: Rules = {
  observeBoost: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      // A state restored from a snapshot older than this fact has no such map yet.
      ctx.state.boostsSeen ??= {};
      const seen = ctx.state.boostsSeen;
      const before = seen[p.proposal];
      if (before && (before.at > ctx.eff || (before.at === ctx.eff && before.by < a.id)))
        return { text: null };
      seen[p.proposal] = {
        proposal: p.proposal,
        title: p.title,
        outcome: p.outcome,
        member: actor.id,
        by: a.id,
        at: ctx.eff,
      };
      if (before?.outcome === p.outcome && before.member === actor.id) return { text: null };
      const words = { boosted: 'boosted', outbid: 'boost outbid', 'not-boosted': 'not boosted' }[p.outcome];
      return { text: `${actor.record.name}'s proposal '${p.title}': ${words}` };
    },
  },
};
