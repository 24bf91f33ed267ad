// R2, R8, D8 on My proposals: whose each offer is (the agency's or the member's own), who may accept it, and
// the offers to record. An offer is matched to the member's own recorded proposal by its title (the Offers
// card links the proposal, not the job); without one, the overlay cannot tell and records nothing. Never an
// amount (D15). Pure: the page reading and the agency's view in.
import type { Member, ProposeAs } from '../../core/lite.ts';
import type { ListedProposal } from '../features/upwork-page/read-proposals.ts';
import type { AgencyView, OverviewView } from '../messaging/types.ts';
import { normalizeName } from './agency-match.ts';
import type { FactRequest } from './page-facts.ts';
import { whosePage } from './whose-page.ts';

/**
 * Whether this page's offers and boosts are this agency's to read and record: not when Upwork's company picker
 * names another of the member's agencies, or a name that is neither the agency nor the member (it may be an
 * agency this browser does not know). The picker is often hidden: a page without it reads as before.
 */
export function recordsFrom(
  account: string | null,
  view: AgencyView,
  overview: Pick<OverviewView, 'agencies'> | null,
): boolean {
  const whose = whosePage(account, view, overview);
  return whose !== 'another-agency' && whose !== 'other';
}

export interface OfferReading {
  /** Whose offer it is; null when the log cannot tell (D8 needs the member's proposal on the job). */
  as: ProposeAs | null;
  /** The job, from the member's own recorded proposal with the offer's title. */
  job: string | null;
  /** Already in the agency's log. */
  recorded: boolean;
}

/**
 * `ownAccount`: the page is the member's own freelancer account (the picker names them), where an offer the log
 * knows nothing of is their own (R8) — for a non-exclusive member; an exclusive member's are the agency's (D8).
 */
export function readOffer(offer: ListedProposal, view: AgencyView, ownAccount = false): OfferReading {
  const known = offer.id ? view.state.offers[offer.id] : undefined;
  if (known) return { as: known.as, job: known.job, recorded: true };
  const me = view.state.members[view.me];
  const title = normalizeName(offer.title);
  const mine = view.state.proposals.filter((p) => p.member === view.me && normalizeName(p.title) === title);
  const job = new Set(mine.map((p) => p.job)).size === 1 ? mine[0]!.job : null;
  // D8: an exclusive member's offers are the agency's; a non-exclusive member's, when they proposed as it.
  if (me?.relationship === 'exclusive') return { as: 'agency', job, recorded: false };
  if (!job) return { as: ownAccount ? 'independent' : null, job, recorded: false };
  return { as: mine.some((p) => p.as === 'agency') ? 'agency' : 'independent', job, recorded: false };
}

/** The agency's business managers other than this browser's member, by seniority. */
export function managersBesidesMe(view: AgencyView): Member[] {
  return Object.values(view.state.members)
    .filter((m) => m.status === 'active' && m.role === 'manager' && m.id !== view.me)
    .sort(
      (a, b) => (a.managerSince ?? '').localeCompare(b.managerSince ?? '') || a.name.localeCompare(b.name),
    );
}

export function offerFacts(
  offers: readonly ListedProposal[],
  view: AgencyView,
): { key: string; request: FactRequest }[] {
  if (view.state.members[view.me]?.status !== 'active') return [];
  const out: { key: string; request: FactRequest }[] = [];
  for (const offer of offers) {
    const read = readOffer(offer, view);
    if (read.recorded || !offer.id || !read.job || !read.as) continue;
    out.push({
      key: `offer|${offer.id}`,
      request: {
        kind: 'act',
        agencyId: view.agencyId,
        type: 'receiveOffer',
        payload: { offer: offer.id, job: read.job, title: offer.title, as: read.as, member: view.me },
      },
    });
  }
  return out;
}
