// Beside Upwork's Offers card on My proposals: which offers are the agency's and who may accept them (R2,
// naming the business managers, or "you can" to a manager), Agency Plus and the acceptance fee in one line, an
// independent offer as the member's own (R8); and what each boost badge means for the agency's Connects.
import type { BoostOutcome, ProposalsReading } from '../features/upwork-page/read-proposals.ts';
import type { AgencyView } from '../messaging/types.ts';
import { managersBesidesMe, readOffer } from './proposals-facts.ts';
import { whosePage } from './whose-page.ts';
import { WorkFrame } from './work-frame.tsx';
import type { PageContext } from './work-page.ts';

/** "Ana", "Ana or Leo", "Ana, Leo or Maya". */
const orWords = (words: readonly string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;

function agencyOfferLine(view: AgencyView): string {
  const agency = view.state.name;
  const owner = view.state.ownerId ? view.state.members[view.state.ownerId]?.name : undefined;
  const plus = `Accepting needs ${agency}’s Agency Plus membership; any acceptance fee is charged to the agency owner${owner ? `, ${owner}` : ''}.`;
  if (view.state.members[view.me]?.role === 'manager') return `You can accept this for ${agency}. ${plus}`;
  const managers = managersBesidesMe(view).map((m) => m.name);
  const ask = managers.length
    ? `ask ${orWords(managers)}`
    : 'the agency has no business manager to ask right now';
  return `Only a business manager accepts ${agency}’s offers: ${ask}. ${plus}`;
}

const BOOST_WORDS: Record<BoostOutcome, string> = {
  boosted: 'Boosted: the bid stays spent from the Connects it came from.',
  outbid:
    'Boost outbid: Upwork refunds the bid; the refund shows in the Connects history, where the overlay records it.',
  'not-boosted': 'Not boosted: no bid was spent.',
};

/** When Upwork's picker names an account whose offers are not this agency's to judge: why nothing is said. */
function notOursLine(page: ProposalsReading, ctx: PageContext): string | null {
  const view = ctx.view;
  if (!view) return null;
  const agency = view.state.name;
  const whose = whosePage(page.account, view, ctx.overview);
  if (whose === 'another-agency')
    return `These are the offers of “${page.account}”, another of your agencies (Upwork’s account menu), not ${agency}’s: nothing here is recorded for ${agency}.`;
  if (whose === 'other')
    return `Upwork’s account menu names “${page.account}”, neither you nor ${agency}: whose these offers are cannot be told here, so nothing is said or recorded about them.`;
  return null;
}

export function ProposalsView({ page, ctx }: { page: ProposalsReading; ctx: PageContext }) {
  const view = ctx.view;
  const notOurs = notOursLine(page, ctx);
  const ownAccount = view ? whosePage(page.account, view, ctx.overview) === 'own' : false;
  return (
    <WorkFrame ctx={ctx} testId="proposals-overlay">
      {view && notOurs ? (
        <p class="small muted" data-testid="proposals-whose">
          {notOurs}
        </p>
      ) : null}
      {view ? (
        <>
          {notOurs ? null : page.offers.length === 0 ? (
            <p class="muted">No offers on this page.</p>
          ) : (
            <ul class="small" aria-label="Offers" data-testid="offers">
              {page.offers.map((offer) => {
                const read = readOffer(offer, view, ownAccount);
                const line =
                  read.as === 'agency'
                    ? agencyOfferLine(view)
                    : read.as === 'independent'
                      ? 'Your own offer (R8): you accept it, and its contract pays you.'
                      : `The agency has no record of how you proposed on this job, so it cannot say whether this offer is ${view.state.name}’s (D8).`;
                return (
                  <li key={offer.id ?? offer.title} data-testid="offer">
                    <strong>{offer.title}</strong>: {line}
                  </li>
                );
              })}
            </ul>
          )}
          {page.boosts.length ? (
            <ul class="small" aria-label="Boosts" data-testid="boosts">
              {page.boosts.map((b) => (
                <li key={b.id ?? b.title}>
                  <strong>{b.title}</strong> — {BOOST_WORDS[b.boost]}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </WorkFrame>
  );
}
