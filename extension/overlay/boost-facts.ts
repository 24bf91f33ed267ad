// My proposals' boost badges to record (issue 11): each proposal's outcome ("Boosted", "Boost outbid", "Not
// boosted") once, as an observeBoost fact of the member whose page it is, and again only when Upwork shows
// another outcome than the agency's log holds. Pure: the page reading and the agency's view in.
import type { BoostOutcome, ListedProposal } from '../features/upwork-page/read-proposals.ts';
import type { AgencyView } from '../messaging/types.ts';
import type { FactRequest } from './page-facts.ts';

export function boostFacts(
  boosts: readonly (ListedProposal & { boost: BoostOutcome })[],
  view: AgencyView,
): { key: string; request: FactRequest }[] {
  if (view.state.members[view.me]?.status !== 'active') return [];
  const out: { key: string; request: FactRequest }[] = [];
  for (const row of boosts) {
    if (!row.id) continue;
    const seen = view.state.boostsSeen?.[row.id];
    // someone else's (or two members') record of it: a record from this page would change nothing
    if (seen && (seen.member !== view.me || seen.outcome === row.boost)) continue;
    out.push({
      key: `boost|${row.id}|${row.boost}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'observeBoost',
        payload: { proposal: row.id, title: row.title, outcome: row.boost },
      },
    });
  }
  return out;
}
