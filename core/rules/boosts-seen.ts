// A proposal's boost outcome as its member's My proposals shows it (issue 11): "Boosted", "Boost outbid" or
// "Not boosted", keyed by Upwork's proposal id. A fact, never refused. My proposals lists a member's own
// proposals, so the outcome is its author's to record — the member whose first record of the proposal it is
// (a record that knew no record of it). A record by anyone else that knew the proposal as another member's
// is flagged BOOST_NOT_OWN and changes nothing (an outside review overwrote a teammate's outcome and member).
// First records of two members made concurrently, neither knowing the other: neither counts (both flagged),
// since nothing tells whose proposal it is — never the order or a signer-chosen time.
// One proposal is one entry: the same outcome recorded again changes nothing and says nothing; a different one
// later (Upwork outbid a boost) replaces it. Of the author's records, the latest by time stands; at the same
// millisecond the smaller action id — never the order. Records concurrent with another record of the proposal
// are contested: their flags are read from the settled entry (revoke.ts).
import { contest, type ReplayContext } from '../knowledge.ts';
import type { MemberId, SeenBoost, SeenBoostRecord } from '../types.ts';
import type { Rules } from './rule.ts';

export const boostContest = (proposal: string): string => `boost:${proposal}`;

const claimants = (records: readonly SeenBoostRecord[]): MemberId[] =>
  [...new Set(records.filter((r) => r.how === 'claim').map((r) => r.member))].sort();

/** The author and the outcome that stands, from the records alone. */
function settle(seen: SeenBoost): void {
  const claims = claimants(seen.records);
  const author = claims.length === 1 ? claims[0]! : null;
  seen.member = author;
  let last: SeenBoostRecord | null = null;
  for (const r of seen.records) {
    if (r.member !== author || r.how === 'taken') continue;
    if (!last || r.at > last.at || (r.at === last.at && r.id < last.id)) last = r;
  }
  if (!last) return; // disputed: the entry keeps its first record's words, counted for no one
  seen.title = last.title;
  seen.outcome = last.outcome;
  seen.by = last.id;
  seen.at = last.at;
}

const flagged = (seen: SeenBoost, r: SeenBoostRecord): boolean =>
  r.how === 'taken' || (r.how === 'claim' && seen.member === null);

/** Whether record `id` of `proposal` is flagged in the settled state (revoke.ts settles contested ones). */
export function boostRecordFlagged(
  s: { boostsSeen?: Record<string, SeenBoost> },
  proposal: string,
  id: string,
) {
  const seen = s.boostsSeen?.[proposal];
  const r = seen?.records?.find((x) => x.id === id);
  return seen !== undefined && r !== undefined && flagged(seen, r);
}

/** The author the current action knew: a member, null for concurrent first records, undefined for none. */
function authorKnown(ctx: ReplayContext, seen: SeenBoost | undefined): MemberId | null | undefined {
  const known = (seen?.records ?? []).filter(
    (r) => r.how === 'claim' && ctx.knows(ctx.d.position.get(r.id)!),
  );
  const claims = claimants(known);
  return claims.length === 0 ? undefined : claims.length === 1 ? claims[0]! : null;
}

export const boostsSeenRules: Rules = {
  observeBoost: {
    apply(ctx, a, actor) {
      if (ctx.historyOnly) return { text: null };
      const p = a.payload;
      // A state restored from a snapshot older than this fact has no such map yet.
      ctx.state.boostsSeen ??= {};
      const before = ctx.state.boostsSeen[p.proposal];
      const author = authorKnown(ctx, before);
      const record: SeenBoostRecord = {
        id: a.id,
        member: actor.id,
        at: ctx.eff,
        title: p.title,
        outcome: p.outcome,
        how: author === undefined ? 'claim' : author === actor.id ? 'own' : 'taken',
      };
      const seen: SeenBoost = before ?? {
        proposal: p.proposal,
        title: p.title,
        outcome: p.outcome,
        member: actor.id,
        by: a.id,
        at: ctx.eff,
        records: [],
      };
      ctx.state.boostsSeen[p.proposal] = seen;
      const was = { outcome: seen.outcome, member: seen.member, by: seen.by };
      const unknown = seen.records.filter((r) => !ctx.knows(ctx.d.position.get(r.id)!)).map((r) => r.id);
      seen.records.push(record);
      settle(seen);
      const name = boostContest(p.proposal);
      if (unknown.length) contest(ctx, name, 'BOOST_NOT_OWN', [...unknown, a.id]);
      const contested = ctx.book.contested.get(name)?.ids.has(a.id) ?? false;
      const flags = !contested && flagged(seen, record) ? (['BOOST_NOT_OWN'] as const) : [];
      if (seen.by !== a.id || (before && was.outcome === p.outcome && was.member === actor.id))
        return { text: null, flags: [...flags] };
      const words = { boosted: 'boosted', outbid: 'boost outbid', 'not-boosted': 'not boosted' }[p.outcome];
      return { text: `${actor.record.name}'s proposal '${p.title}': ${words}`, flags: [...flags] };
    },
  },
};
