// Reads Upwork's My proposals page (/nx/proposals/; upwork-dom.md "Work pages": seen, saved page ≈ Mar 2026):
// the Offers card and its rows, and each proposal row's boost outcome where a badge shows it. Pure over a
// Document; never an amount (the page shows none here, and D15 keeps them out of what members record).
import { queryAllFirst, queryFirst, textOf } from './dom.ts';
import * as S from './work-selectors.ts';

export type BoostOutcome = 'boosted' | 'outbid' | 'not-boosted';

export interface ListedProposal {
  /** Upwork's proposal (or offer) id from the row's link, e.g. "1999000000000000001". */
  id: string | null;
  title: string;
}

export interface ProposalsReading {
  offersCard: Element;
  /** The card's "(N)", when shown. */
  offerCount: number | null;
  offers: ListedProposal[];
  boosts: (ListedProposal & { boost: BoostOutcome })[];
  /** The agency company picker's name (whose page it is), when the page shows one; often hidden. */
  account: string | null;
}

export type ProposalsPageReading =
  | { found: true; value: ProposalsReading }
  | { found: false; missing: string[] };

export const PROPOSALS_MISSING = { offers: 'the Offers card' } as const;

function listed(row: Element): ListedProposal | null {
  const link = queryFirst(row, S.ROW_JOB_LINK);
  const title = textOf(link).slice(0, 300);
  if (!title) return null;
  const id = S.PROPOSAL_ID_IN_HREF.exec(link?.getAttribute('href') ?? '')?.[1] ?? null;
  return { id, title };
}

function boostOf(row: Element): BoostOutcome | null {
  const badge = queryFirst(row, S.BOOST_BADGE);
  if (!badge) return null;
  for (const [cls, outcome] of Object.entries(S.BOOST_CLASSES))
    if (badge.classList.contains(cls)) return outcome;
  const words = textOf(badge);
  return S.BOOST_TEXTS.find(([re]) => re.test(words))?.[1] ?? null;
}

export function readProposals(doc: Document): ProposalsPageReading {
  const card = doc.body ? queryFirst(doc.body, S.OFFERS_CARD) : null;
  if (!card) return { found: false, missing: [PROPOSALS_MISSING.offers] };
  const count =
    /\((\d+)\)/.exec(textOf(queryFirst(card, S.CARD_COUNT)))?.[1] ?? S.OFFERS_TEXT.exec(textOf(card))?.[1];
  const offers = queryAllFirst(card, S.PROPOSAL_ROWS)
    .map(listed)
    .filter((o): o is ListedProposal => o !== null);
  const boosts: ProposalsReading['boosts'] = [];
  for (const row of queryAllFirst(doc.body, S.PROPOSAL_ROWS)) {
    if (card.contains(row)) continue;
    const boost = boostOf(row);
    const item = boost ? listed(row) : null;
    if (item && boost) boosts.push({ ...item, boost });
  }
  const account = textOf(queryFirst(doc.body!, S.ACCOUNT_NAME)).slice(0, 200) || null;
  return {
    found: true,
    value: {
      offersCard: card,
      offerCount: count === undefined ? null : Number(count),
      offers,
      boosts,
      account,
    },
  };
}
